package dev.quiver.runner.schema;

import com.networknt.schema.Error;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The validator's error list that keeps the first errors and only counts the rest, so that a document with hundreds
 * of thousands of violations costs a counter, not hundreds of thousands of error objects kept until the end.
 *
 * <p>Its {@link #size()} is the count of every error added, not of those kept: the validator (networknt 2.0.8)
 * compares sizes before and after a keyword to tell whether it failed, and only ever appends to this list (its
 * {@code anyOf}, {@code oneOf}, {@code not} and {@code if} collect into lists of their own and append the outcome).
 * Only the kept errors can be read back, through {@link #kept()}.
 */
final class CappedErrors extends AbstractList<Error> {

    private final int keep;
    private final List<Error> kept = new ArrayList<>();
    private int total;

    CappedErrors(int keep) {
        this.keep = keep;
    }

    @Override
    public boolean add(Error error) {
        total++;
        if (kept.size() < keep) {
            kept.add(error);
        }
        return true;
    }

    @Override
    public void add(int index, Error error) {
        add(error); // appended whatever the index: only the order of the kept ones matters here
    }

    @Override
    public boolean addAll(Collection<? extends Error> errors) {
        errors.forEach(this::add);
        return !errors.isEmpty();
    }

    @Override
    public boolean addAll(int index, Collection<? extends Error> errors) {
        return addAll(errors);
    }

    @Override
    public Error get(int index) {
        return kept.get(index);
    }

    @Override
    public int size() {
        return total;
    }

    /** The first errors, at most as many as asked to keep. */
    List<Error> kept() {
        return kept;
    }
}
