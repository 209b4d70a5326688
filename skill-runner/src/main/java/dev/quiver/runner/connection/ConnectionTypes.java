package dev.quiver.runner.connection;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.Violation;
import dev.quiver.runner.schema.Violations;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The connection types the runner knows now (the installed plugins'), for checking a connection as it is read. */
@FunctionalInterface
public interface ConnectionTypes {

    /** Knows no type. */
    ConnectionTypes NONE = id -> Optional.empty();

    /** The type with this id, with its settings schema compiled. */
    Optional<Known> find(String typeId);

    /**
     * An installed connection type.
     *
     * @param type     the plugin's declaration
     * @param settings its settings schema, compiled
     */
    record Known(ConnectionType type, CompiledSchema settings) {

        /** How {@code auth} breaks the type's auth methods: an unknown method, a missing field, an unknown field. */
        public Violations checkAuth(JsonNode auth) {
            String name = auth.path("method").asText();
            Optional<AuthMethod> method = type.authMethods().stream().filter(m -> m.name().equals(name)).findFirst();
            if (method.isEmpty()) {
                return Violations.of(List.of(new Violation("/auth/method", "enum", "auth.method must be one of "
                        + type.authMethods().stream().map(AuthMethod::name).toList())));
            }
            List<Violation> violations = new ArrayList<>();
            for (String field : method.get().fields()) {
                if (!auth.has(field)) {
                    violations.add(new Violation("/auth", "required", "auth." + field + " is required by " + name));
                }
            }
            auth.fieldNames().forEachRemaining(field -> {
                if (!field.equals("method") && !method.get().fields().contains(field)
                        && !method.get().optionalFields().contains(field)) {
                    violations.add(new Violation("/auth/" + field, "additionalProperties",
                            "auth." + field + " is not a field of " + name));
                }
            });
            return Violations.of(violations);
        }
    }
}
