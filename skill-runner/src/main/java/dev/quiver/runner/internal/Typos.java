package dev.quiver.runner.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean": the known word a few edits away from what was typed. */
public final class Typos {

    private Typos() {
    }

    /** The candidate closest to {@code typed}, if one is near enough to be a typo (about a quarter of its length). */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        if (typed == null || typed.isEmpty()) {
            return Optional.empty();
        }
        int allowed = Math.max(1, typed.length() / 4);
        return candidates.stream()
                .filter(candidate -> distance(candidate, typed) <= allowed)
                .min(Comparator.comparingInt(candidate -> distance(candidate, typed)));
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
