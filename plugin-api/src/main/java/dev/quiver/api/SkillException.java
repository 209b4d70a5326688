package dev.quiver.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A failure a caller should see as a typed error: a {@link ErrorCode}, a message saying what went wrong and a
 * remediation saying what to do about it. Messages and details must never contain a secret.
 *
 * @since 1.0
 */
public class SkillException extends Exception {

    private final ErrorCode code;
    private final String remediation;
    private final List<Map<String, Object>> details;

    public SkillException(ErrorCode code, String message, String remediation) {
        this(code, message, remediation, List.of(), null);
    }

    /**
     * @param details structured facts about the failure (each a small JSON object), shown to the caller
     * @param cause   the underlying exception, kept for logs only
     */
    public SkillException(ErrorCode code, String message, String remediation,
                          List<Map<String, Object>> details, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.remediation = remediation;
        this.details = List.copyOf(details);
    }

    /** The error code the caller sees. */
    public ErrorCode code() {
        return code;
    }

    /** What the caller can do about it, or {@code null}. */
    public String remediation() {
        return remediation;
    }

    /** Structured details, possibly empty. */
    public List<Map<String, Object>> details() {
        return details;
    }
}
