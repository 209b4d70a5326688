package dev.quiver.runner.pipeline;

import dev.quiver.runner.connection.Connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Removes a connection's secret values from text that leaves the runner. A last line of defence: nothing should put
 * a secret into a message, but a vendor may echo one back.
 */
final class Redactor {

    static final String MASK = "[redacted]";
    /** Shorter values (an "x" in a test) would mask ordinary words. */
    private static final int MIN_SECRET_LENGTH = 6;

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    static Redactor of(Connection connection) {
        if (connection == null) {
            return new Redactor(List.of());
        }
        return new Redactor(connection.credential().values().values().stream()
                .filter(v -> v.length() >= MIN_SECRET_LENGTH).toList());
    }

    String text(String value) {
        if (value == null) {
            return null;
        }
        String out = value;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }

    Failure failure(Failure failure) {
        if (secrets.isEmpty()) {
            return failure;
        }
        List<Map<String, Object>> details = new ArrayList<>();
        for (Map<String, Object> detail : failure.details()) {
            Map<String, Object> clean = new LinkedHashMap<>();
            detail.forEach((k, v) -> clean.put(k, v instanceof String s ? text(s) : v));
            details.add(clean);
        }
        return new Failure(failure.code(), text(failure.message()), details, text(failure.remediation()),
                failure.missing());
    }
}
