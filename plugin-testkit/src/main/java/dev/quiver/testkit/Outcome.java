package dev.quiver.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.gate.MissingPermission;

import java.util.List;

/**
 * What one execution through the harness came to, as the runner would report it.
 *
 * @param output       the output (valid against the output schema), or {@code null} on a failure
 * @param code         the contract's error code ({@code PERMISSION_DENIED}), or {@code null} on success
 * @param message      the failure's message, or {@code null}
 * @param remediation  the failure's remediation, or {@code null}
 * @param missing      for {@code PERMISSION_DENIED} decided by the gate: what the connection lacks
 * @param warnings     the gate's warnings (permissions unknown, an unrestricted credential)
 * @param requestsSent how many requests reached the transport
 * @param requestIds   the vendor's request ids collected
 * @param cause        the skill's exception, when it threw one
 */
public record Outcome(JsonNode output, String code, String message, String remediation,
                      List<MissingPermission> missing, List<String> warnings, int requestsSent,
                      List<String> requestIds, Throwable cause) {

    public Outcome {
        missing = List.copyOf(missing);
        warnings = List.copyOf(warnings);
        requestIds = List.copyOf(requestIds);
    }

    public boolean succeeded() {
        return code == null;
    }
}
