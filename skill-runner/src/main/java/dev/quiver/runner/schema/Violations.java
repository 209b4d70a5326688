package dev.quiver.runner.schema;

import java.util.List;
import java.util.Map;

/**
 * The violations of one document: the first {@link #LISTED} of them, and how many there were in all. A caller
 * sending 200,000 bad array items gets 50 details and a count, not a 79 MB error.
 *
 * @param listed the first violations, at most {@link #LISTED}
 * @param total  how many there were in all
 */
public record Violations(List<Violation> listed, int total) {

    /** How many violations an error lists. */
    public static final int LISTED = 50;

    public static final Violations NONE = new Violations(List.of(), 0);

    public Violations {
        listed = List.copyOf(listed.size() > LISTED ? listed.subList(0, LISTED) : listed);
        total = Math.max(total, listed.size());
    }

    /** Violations found by other means than a schema (all of them listed). */
    public static Violations of(List<Violation> violations) {
        return new Violations(violations, violations.size());
    }

    public boolean isEmpty() {
        return total == 0;
    }

    /** The listed violations as error details: pointer, keyword and message. */
    public List<Map<String, Object>> asDetails() {
        return listed.stream().map(Violation::asDetail).toList();
    }

    /** "1 violation", "3 violations", or "200000 violations; the first 50 are listed": for an error's message. */
    public String count() {
        String count = total + (total == 1 ? " violation" : " violations");
        return total > listed.size() ? count + "; the first " + listed.size() + " are listed" : count;
    }
}
