package dev.quiver.runner.resilience;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ErrorCode;
import dev.quiver.runner.QuiverRuntime;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.testing.PluginArchives;
import dev.quiver.sandbox.CloudflareSandbox;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every skill of the real plugin, fed arbitrary JSON and near-valid inputs (each field of its schema set to a
 * plausible, borderline or wrong value), run through the whole pipeline against the sandbox.
 *
 * <p>What must hold: the execution returns (no exception escapes); a refused input is {@code INVALID_INPUT} and no
 * request left for it; an accepted input succeeds, or meets one of the answers a valid input can meet (the zone
 * does not exist: {@code NOT_FOUND}; another account or a zone the token cannot reach: {@code PERMISSION_DENIED})
 * and never a {@code PLUGIN_FAULT} or an upstream error the schema should have prevented.
 */
class InputFuzzTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<ErrorCode> ANSWERS_TO_VALID_INPUT = EnumSet.of(ErrorCode.NOT_FOUND,
            ErrorCode.PERMISSION_DENIED);

    private static Path dir;
    private static CloudflareSandbox sandbox;
    private static QuiverRuntime runtime;
    private static String accountId;
    private static String zoneId;

    @BeforeContainer
    static void start() throws Exception {
        dir = Files.createTempDirectory("quiver-fuzz");
        Path plugins = dir.resolve("plugins");
        PluginArchives.installCloudflarePlugin(plugins);
        sandbox = CloudflareSandbox.start(0);
        runtime = QuiverRuntime.start(dir.resolve("home"), List.of(plugins), name -> null);
        ObjectNode connection = sandbox.connection();
        accountId = connection.path("account_id").asText();
        zoneId = connection.path("zone_id").asText();
        runtime.connections().addRemote(connection, "test");
    }

    @AfterContainer
    static void stop() throws IOException {
        runtime.close();
        sandbox.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** One skill and one input for it. */
    record Case(String skill, JsonNode input) {
    }

    @Property(tries = 400)
    void arbitraryJsonIsRefusedBeforeAnyRequestOrRuns(@ForAll("arbitrary") Case example) {
        check(example);
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void nearValidInputIsRefusedBeforeAnyRequestOrRuns(@ForAll("nearValid") Case example) {
        check(example);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void aFieldTheSchemaDoesNotDeclareIsAlwaysInvalidInput(@ForAll("nearValid") Case example,
                                                           @ForAll("undeclaredNames") String name) {
        ObjectNode input = example.input().isObject() ? ((ObjectNode) example.input()).deepCopy() : NODES.objectNode();
        input.put(name, true);
        long before = sandbox.requestCount();

        ExecutionResult result = run(example.skill(), input);

        assertTrue(!result.succeeded() && result.failure().code() == ErrorCode.INVALID_INPUT, describe(result, input));
        assertEquals(before, sandbox.requestCount(), "a request left for an invalid input");
    }

    private static void check(Case example) {
        long before = sandbox.requestCount();

        ExecutionResult result = run(example.skill(), example.input());
        // jqwik reports the spread: a run where every input was refused would prove little about the rest
        Statistics.collect(result.succeeded() ? "succeeded" : result.failure().code().name());
        Statistics.label("slow").collect(result.duration().toMillis() > 200 ? example.skill() : "fast");

        if (result.succeeded()) {
            return;
        }
        ErrorCode code = result.failure().code();
        if (code == ErrorCode.INVALID_INPUT) {
            assertEquals(before, sandbox.requestCount(), "a request left for " + describe(result, example.input()));
        }
        assertTrue(code == ErrorCode.INVALID_INPUT || ANSWERS_TO_VALID_INPUT.contains(code),
                describe(result, example.input()));
    }

    private static ExecutionResult run(String skill, JsonNode input) {
        return runtime.pipeline().execute(new ExecutionRequest(skill, "sandbox", input, false, Duration.ofSeconds(20)));
    }

    private static String describe(ExecutionResult result, JsonNode input) {
        return result.skillId() + " " + input + " -> " + (result.succeeded() ? "succeeded"
                : result.failure().code() + ": " + result.failure().message() + " " + result.failure().details());
    }

    // ---- generators ----

    @Provide
    Arbitrary<Case> arbitrary() {
        return Arbitraries.of(skillIds()).flatMap(skill -> anyJson(3).map(input -> new Case(skill, input)));
    }

    @Provide
    Arbitrary<Case> nearValid() {
        return Arbitraries.of(entries()).flatMap(entry -> {
            JsonNode schema = entry.descriptor().inputSchema();
            return objectFor(schema, schema).map(input -> new Case(entry.id(), input));
        });
    }

    @Provide
    Arbitrary<String> undeclaredNames() {
        return Arbitraries.oneOf(Arbitraries.of("token", "api_key", "zoneId", "ACCOUNT_ID", "", " ", "$ref",
                "__proto__"), Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> "x_" + s));
    }

    private static List<CatalogEntry> entries() {
        return runtime.catalog().entries().stream().filter(e -> e.id().startsWith("cloudflare_")).toList();
    }

    private static List<String> skillIds() {
        return entries().stream().map(CatalogEntry::id).toList();
    }

    /** An object with a random subset of the schema's declared properties, each set by {@link #valueFor}. */
    private Arbitrary<JsonNode> objectFor(JsonNode schema, JsonNode root) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        if (names.isEmpty()) {
            return Arbitraries.just(NODES.objectNode());
        }
        return Arbitraries.subsetOf(names).flatMap(chosen -> {
            List<String> fields = new ArrayList<>(chosen);
            for (JsonNode required : schema.path("required")) {
                if (!fields.contains(required.asText()) && Math.random() < 0.9) {
                    fields.add(required.asText());
                }
            }
            List<Arbitrary<JsonNode>> values = fields.stream()
                    .map(name -> valueFor(name, resolve(schema.path("properties").path(name), root), root))
                    .toList();
            return combine(values).map(list -> {
                ObjectNode object = NODES.objectNode();
                for (int i = 0; i < fields.size(); i++) {
                    object.set(fields.get(i), list.get(i));
                }
                return object;
            });
        });
    }

    private static Arbitrary<List<JsonNode>> combine(List<Arbitrary<JsonNode>> values) {
        Arbitrary<List<JsonNode>> all = Arbitraries.just(List.of());
        for (Arbitrary<JsonNode> value : values) {
            all = all.flatMap(list -> value.map(v -> {
                List<JsonNode> more = new ArrayList<>(list);
                more.add(v);
                return more;
            }));
        }
        return all;
    }

    /** Mostly what the schema allows, sometimes its edges, sometimes anything. */
    private Arbitrary<JsonNode> valueFor(String name, JsonNode schema, JsonNode root) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(14, plausible(name, schema, root)),
                net.jqwik.api.Tuple.of(1, leaf()),
                net.jqwik.api.Tuple.of(1, anyJson(2)));
    }

    private Arbitrary<JsonNode> plausible(String name, JsonNode schema, JsonNode root) {
        if (schema.has("enum")) {
            List<JsonNode> members = new ArrayList<>();
            schema.get("enum").forEach(members::add);
            members.add(NODES.textNode("not_a_member"));
            return Arbitraries.of(members);
        }
        if (schema.has("oneOf")) {
            List<Arbitrary<JsonNode>> options = new ArrayList<>();
            schema.get("oneOf").forEach(option -> options.add(plausible(name, resolve(option, root), root)));
            return Arbitraries.oneOf(options);
        }
        String type = schema.path("type").isArray() ? schema.path("type").get(0).asText() : schema.path("type").asText();
        return switch (type) {
            case "integer" -> Arbitraries.oneOf(
                    Arbitraries.integers().between(schema.path("minimum").asInt(0), Math.min(
                            schema.path("maximum").asInt(1000), 2000)).map(i -> (JsonNode) NODES.numberNode(i)),
                    Arbitraries.of(-1, 0, 1, 2, 5000, 10_000, 10_001, Integer.MAX_VALUE)
                            .map(i -> (JsonNode) NODES.numberNode(i)),
                    Arbitraries.of(1.5, 1e20, -0.0).map(d -> (JsonNode) NODES.numberNode(d)));
            case "boolean" -> Arbitraries.of(NODES.booleanNode(true), NODES.booleanNode(false), NODES.textNode("true"));
            case "object" -> objectFor(schema, root);
            case "array" -> plausible(name, resolve(schema.path("items"), root), root)
                    .list().ofMaxSize(3).map(items -> {
                        ArrayNode array = NODES.arrayNode();
                        items.forEach(array::add);
                        return array;
                    });
            default -> plausibleText(name).map(text -> (JsonNode) NODES.textNode(text));
        };
    }

    /** Strings as an analyst might send them, by the field's name, with near misses. */
    private static Arbitrary<String> plausibleText(String name) {
        String hex31 = zoneId.substring(1);
        return switch (name) {
            case "account_id" -> Arbitraries.of(accountId, accountId.toUpperCase(), "0".repeat(32), hex31);
            case "zone_id", "ruleset_id", "before_id", "after", "before" -> name.equals("before")
                    ? times() : Arbitraries.of(zoneId, "f".repeat(32), hex31, "", zoneId + "0");
            case "since" -> times();
            case "actor_email" -> Arbitraries.of("mallory@example.com", "alice@example.com", "not-an-email",
                    "a@b", "MALLORY@EXAMPLE.COM");
            case "actor_ip" -> Arbitraries.of("203.0.113.66", "198.51.100.0/24", "2001:db8::1", "999.1.1.1",
                    "10.0.0.0/33", "::");
            case "cursor", "checkpoint" -> Arbitraries.oneOf(Arbitraries.of("eyJ9", "%%%", "a".repeat(999)),
                    Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(60));
            case "expression" -> Arbitraries.of("ip.src eq 198.51.100.7", "http.host eq \"example.com\"",
                    "not ((", "x".repeat(4097));
            case "ref" -> Arbitraries.of("quiver-block-1", "has space", "a".repeat(101), "ok.ref:1");
            default -> Arbitraries.oneOf(Arbitraries.of("example.com", "mallory", "", "${env:HOME}", "*"),
                    Arbitraries.strings().ofMaxLength(30));
        };
    }

    private static Arbitrary<String> times() {
        return Arbitraries.of("2026-01-01T00:00:00Z", "2026-01-01", "2026-13-40T99:00:00Z", "yesterday",
                "2025-06-30T23:59:60Z", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00+02:00");
    }

    /** Any JSON value, objects and arrays nested up to {@code depth}. */
    private static Arbitrary<JsonNode> anyJson(int depth) {
        if (depth == 0) {
            return leaf();
        }
        Arbitrary<JsonNode> inner = anyJson(depth - 1);
        Arbitrary<JsonNode> array = inner.list().ofMaxSize(4).map(items -> {
            ArrayNode node = NODES.arrayNode();
            items.forEach(node::add);
            return node;
        });
        Arbitrary<JsonNode> object = Arbitraries.maps(Arbitraries.oneOf(
                        Arbitraries.of("zone_id", "account_id", "limit", "rule", "since", "cursor", "phase", "name"),
                        Arbitraries.strings().ofMaxLength(8)), inner).ofMaxSize(4)
                .map(InputFuzzTest::objectOf);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, leaf()), net.jqwik.api.Tuple.of(1, array),
                net.jqwik.api.Tuple.of(3, object));
    }

    private static JsonNode objectOf(Map<String, JsonNode> fields) {
        ObjectNode node = NODES.objectNode();
        fields.forEach(node::set);
        return node;
    }

    private static Arbitrary<JsonNode> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.just(NODES.nullNode()),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.doubles().map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.strings().ofMaxLength(40).map(s -> (JsonNode) NODES.textNode(s)));
    }

    private static JsonNode resolve(JsonNode schema, JsonNode root) {
        String ref = schema.path("$ref").asText(null);
        if (ref != null && ref.startsWith("#/")) {
            return root.at(ref.substring(1));
        }
        Iterator<JsonNode> anyOf = schema.path("anyOf").elements();
        return schema.has("type") || !anyOf.hasNext() ? schema : anyOf.next();
    }
}
