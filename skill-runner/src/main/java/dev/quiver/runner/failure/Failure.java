package dev.quiver.runner.failure;

import dev.quiver.gate.MissingPermission;
import dev.quiver.api.SkillException;
import dev.quiver.runner.schema.Violations;

import java.util.List;
import java.util.Map;

/**
 * Why an execution (or a request for one) failed, as the contract's error object says it.
 *
 * @param code        the contract's error code
 * @param message     what went wrong
 * @param details     structured facts (violations with JSON pointers, the vendor's codes, ...)
 * @param remediation what to do about it, or {@code null}
 * @param missing      for {@link ErrorCode#PERMISSION_DENIED}: each missing permission; empty otherwise
 * @param detailsTotal how many details there were before the first {@link #LISTED} were kept (at least
 *                     {@code details.size()}): an error lists at most 50, whatever a caller sent or a skill threw
 */
public record Failure(ErrorCode code, String message, List<Map<String, Object>> details, String remediation,
                      List<MissingPermission> missing, long detailsTotal) {

    /** How many details a failure lists. */
    public static final int LISTED = Violations.LISTED;

    public Failure {
        detailsTotal = Math.max(detailsTotal, details.size());
        details = List.copyOf(details.size() > LISTED ? details.subList(0, LISTED) : details);
        missing = List.copyOf(missing);
    }

    public Failure(ErrorCode code, String message, List<Map<String, Object>> details, String remediation,
                   List<MissingPermission> missing) {
        this(code, message, details, remediation, missing, details.size());
    }

    /** Whether some details were left out: {@link #detailsTotal()} says how many there were. */
    public boolean detailsCapped() {
        return detailsTotal > details.size();
    }

    public static Failure of(ErrorCode code, String message, String remediation) {
        return new Failure(code, message, List.of(), remediation, List.of());
    }

    public static Failure of(SkillException e) {
        return new Failure(ErrorCode.of(e.code()), e.getMessage(), e.details(), e.remediation(), List.of());
    }

    /** This failure as an exception, for unwinding out of a stage. */
    public FailureException raise() {
        return new FailureException(this);
    }

    /** Carries a {@link Failure} out of a pipeline stage. */
    public static final class FailureException extends Exception {
        private final transient Failure failure;

        FailureException(Failure failure) {
            super(failure.message(), null, false, false);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
