package dev.quiver.gate;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * A permission the connection lacks for one execution.
 *
 * @param permission   the group to add (the first of the alternatives)
 * @param scope        the resource kind it must be granted on
 * @param resource     the resource's id, {@code "*"} for every resource of the kind, or {@code null} for a kind
 *                     without ids
 * @param alternatives every group that would do, when there is more than one
 * @param reason       why the gate refused
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MissingPermission(String permission, String scope, String resource, List<String> alternatives,
                                String reason) {

    public MissingPermission {
        alternatives = List.copyOf(alternatives);
    }
}
