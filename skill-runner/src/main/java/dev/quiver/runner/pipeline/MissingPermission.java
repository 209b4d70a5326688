package dev.quiver.runner.pipeline;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.quiver.api.Scope;

import java.util.List;

/**
 * A permission the connection lacks for one execution.
 *
 * @param permission   the group to add (the first of the alternatives)
 * @param scope        where it must be granted
 * @param resource     the account or zone id, {@code "*"} for every zone of the account, or {@code null} for the user
 * @param alternatives every group that would do, when there is more than one
 * @param reason       why the gate refused
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MissingPermission(String permission, Scope scope, String resource, List<String> alternatives,
                                String reason) {

    public MissingPermission {
        alternatives = List.copyOf(alternatives);
    }
}
