package dev.quiver.runner.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.internal.JsonText;
import dev.quiver.runner.internal.Typos;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.schema.Violation;
import dev.quiver.runner.schema.Violations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads connection JSON: checks it against the connection schema and resolves secret references
 * ({@code ${env:NAME}}, {@code ${file:PATH}}). Errors name fields and references, never values.
 */
public final class ConnectionReader {

    private static final Pattern REFERENCE = Pattern.compile("^\\$\\{(env|file):(.+)}$");

    /** The fields every connection has; every other field is a setting of its type. */
    public static final Set<String> COMMON_FIELDS = Set.of("id", "type", "auth", "permissions", "base_url");

    private final CompiledSchema schema;
    private final Function<String, String> environment;
    private final ConnectionTypes types;

    /**
     * A reader that knows no connection type: settings and auth fields are checked only when the connection is
     * used (by the pipeline, against its type).
     *
     * @param environment looks up environment variables ({@code System::getenv} outside tests)
     */
    public ConnectionReader(JsonSchemas schemas, Function<String, String> environment) {
        this(schemas, environment, ConnectionTypes.NONE);
    }

    /**
     * @param types the installed connection types: a connection of a known type is checked against its auth methods
     *              and settings schema when read; one of an unknown type is read as it is (its plugin may come back)
     */
    public ConnectionReader(JsonSchemas schemas, Function<String, String> environment, ConnectionTypes types) {
        this.schema = schemas.builtIn("connection");
        this.environment = environment;
        this.types = types;
    }

    /** Reads a connection, resolving its secrets; {@code source} names where it came from in errors. */
    public Connection read(JsonNode json, String source) throws FailureException {
        return read(json, source, References.RESOLVE);
    }

    /** Reads a connection whose secrets are values already (from the store): nothing is resolved again. */
    public Connection readResolved(JsonNode json, String source) throws FailureException {
        return read(json, source, References.KEEP);
    }

    /**
     * Reads a connection sent by a remote caller, whose secrets must be values: a reference would let the caller
     * send this host's environment variables or files to a base URL of its choosing.
     */
    public Connection readRemote(JsonNode json, String source) throws FailureException {
        return read(json, source, References.REFUSE);
    }

    private enum References { RESOLVE, KEEP, REFUSE }

    private Connection read(JsonNode json, String source, References references) throws FailureException {
        Violations violations = schema.validate(json);
        if (!violations.isEmpty()) {
            throw invalid(source, violations, "the connection fields every type shares (id, type, auth, permissions,"
                    + " base_url; README: Connections)");
        }
        ObjectNode settings = Json.MAPPER.createObjectNode();
        json.fields().forEachRemaining(field -> {
            if (!COMMON_FIELDS.contains(field.getKey())) {
                settings.set(field.getKey(), field.getValue());
            }
        });
        Optional<ConnectionTypes.Known> type = types.find(json.get("type").asText());
        if (type.isPresent()) {
            Violations auth = type.get().checkAuth(json.get("auth"));
            if (!auth.isEmpty()) {
                throw invalid(source, auth, "the auth methods of connection type " + json.get("type").asText()
                        + " ('describe' of its skills names them; the plugin's README lists them)");
            }
            Violations wrong = misspelt(settings, type.get().type().settingsSchema());
            if (wrong.isEmpty()) {
                wrong = type.get().settings().validate(settings);
            }
            if (!wrong.isEmpty()) {
                throw invalid(source, wrong, "the settings schema of connection type " + json.get("type").asText());
            }
        }
        BaseUrls.check(text(json, "base_url"), source);
        JsonNode auth = json.get("auth");
        Map<String, String> values = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = auth.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("method") && field.getValue().isTextual()) {
                String value = field.getValue().asText();
                if (references == References.REFUSE && REFERENCE.matcher(value).matches()) {
                    throw Failure.of(ErrorCode.INVALID_INPUT, source + ": auth." + field.getKey()
                            + " is a secret reference, which is resolved only for connections added on this host's"
                            + " command line", "Send the secret's value, or add the connection with"
                            + " 'connections add FILE' on the host.").raise();
                }
                values.put(field.getKey(), references == References.RESOLVE
                        ? resolve(value, "auth." + field.getKey(), source) : value);
            }
        }
        return new Connection(
                json.get("id").asText(),
                json.get("type").asText(),
                new Credential(auth.get("method").asText(), values),
                settings,
                json.has("permissions") ? strings(json.get("permissions")) : null,
                text(json, "base_url"));
    }

    /**
     * The fields neither common to every connection nor declared by the type's settings schema, each with the field
     * probably meant among both ("permisions" is a common field mistyped, which the settings schema alone would not
     * know to suggest). Empty when the schema admits any field.
     */
    private static Violations misspelt(ObjectNode settings, JsonNode settingsSchema) {
        if (!settingsSchema.path("additionalProperties").isBoolean()
                || settingsSchema.path("additionalProperties").asBoolean()) {
            return new Violations(List.of(), 0);
        }
        Set<String> known = new java.util.TreeSet<>(COMMON_FIELDS);
        settingsSchema.path("properties").fieldNames().forEachRemaining(known::add);
        List<Violation> unknown = new ArrayList<>();
        settings.fieldNames().forEachRemaining(name -> {
            if (!known.contains(name)) {
                unknown.add(new Violation("", "additionalProperties", "property '" + name + "' is not allowed"
                        + Typos.closest(name, known).map(meant -> "; did you mean '" + meant + "'?").orElse("")));
            }
        });
        return new Violations(unknown, unknown.size());
    }

    private static FailureException invalid(String source, Violations violations, String against) {
        List<Map<String, Object>> details = new ArrayList<>();
        // Violation messages never quote the offending value (CompiledSchema), so a secret's value stays out.
        violations.listed().forEach(v -> details.add(Map.of("pointer", v.pointer(), "keyword", v.keyword(),
                "message", v.message())));
        return new Failure(ErrorCode.INVALID_CONNECTION, source + " is not a valid connection: "
                + describe(violations), details, "Fix the fields named in details; they are checked against "
                + against + ".", List.of(), violations.total()).raise();
    }

    /** Reads a connection JSON file. */
    public Connection read(Path file) throws FailureException {
        return read(readJson(file), "connection file " + file);
    }

    /** The JSON of a connection file, unchecked: for a caller that keeps the file's non-secret fields too. */
    public JsonNode readJson(Path file) throws FailureException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw Failure.of(ErrorCode.UNKNOWN_CONNECTION, "cannot read connection file " + file + ": "
                    + e.getClass().getSimpleName(), "Pass a connection JSON file or the id of a stored connection.")
                    .raise();
        }
        JsonNode json;
        try {
            json = JsonText.parse(bytes);
        } catch (JsonText.Refused e) {
            throw Failure.of(ErrorCode.INVALID_CONNECTION, "connection file " + file + " is refused: "
                    + e.getMessage(), "Write the connection as one JSON object, UTF-8, each key once.").raise();
        }
        if (json == null) {
            throw Failure.of(ErrorCode.INVALID_CONNECTION, "connection file " + file + " is empty",
                    "Write the connection as one JSON object.").raise();
        }
        return json;
    }

    private String resolve(String value, String field, String source) throws FailureException {
        Matcher reference = REFERENCE.matcher(value);
        if (!reference.matches()) {
            return value;
        }
        String name = reference.group(2);
        if (reference.group(1).equals("env")) {
            String resolved = environment.apply(name);
            if (resolved == null || resolved.isEmpty()) {
                throw Failure.of(ErrorCode.SECRET_UNAVAILABLE, source + ": " + field
                        + " refers to environment variable " + name + ", which is not set",
                        "Export " + name + " before running Quiver.").raise();
            }
            return resolved;
        }
        try {
            String resolved = Files.readString(Path.of(name), StandardCharsets.UTF_8).strip();
            if (resolved.isEmpty()) {
                throw Failure.of(ErrorCode.SECRET_UNAVAILABLE, source + ": " + field + " refers to file " + name
                        + ", which is empty", "Write the secret into " + name + ".").raise();
            }
            return resolved;
        } catch (IOException e) {
            throw Failure.of(ErrorCode.SECRET_UNAVAILABLE, source + ": " + field + " refers to file " + name
                    + ", which cannot be read (" + e.getClass().getSimpleName() + ")",
                    "Check that " + name + " exists and is readable by this user.").raise();
        }
    }

    private static String describe(Violations violations) {
        Violation first = violations.listed().get(0);
        String where = first.pointer().isEmpty() ? "" : first.pointer() + ": ";
        return where + first.message()
                + (violations.total() > 1 ? " (and " + (violations.total() - 1) + " more)" : "");
    }

    private static String text(JsonNode json, String field) {
        return json.hasNonNull(field) ? json.get(field).asText() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
