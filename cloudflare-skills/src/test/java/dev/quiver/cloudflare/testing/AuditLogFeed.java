package dev.quiver.cloudflare.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder.responseDefinition;

/**
 * Serves {@code GET /accounts/{id}/audit_logs} (v1) from a list of entries the test controls: filters actor.email,
 * actor.ip, zone.name, action.type, since and before (both exclusive, the stricter reading of "newer than" /
 * "older than"), direction, page and per_page, with {@code result_info} as Cloudflare sends it. Entries sharing a
 * timestamp come in an order unrelated to their ids, as nothing promises one.
 */
public final class AuditLogFeed implements ResponseDefinitionTransformerV2 {

    public static final String NAME = "audit-log-feed";

    private final List<JsonNode> entries = new CopyOnWriteArrayList<>();

    public void add(JsonNode... added) {
        entries.addAll(List.of(added));
    }

    public void clear() {
        entries.clear();
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
        Request request = serveEvent.getRequest();
        Instant since = time(param(request, "since"));
        Instant before = time(param(request, "before"));
        boolean asc = "asc".equals(param(request, "direction"));
        int page = Integer.parseInt(orDefault(param(request, "page"), "1"));
        int perPage = Integer.parseInt(orDefault(param(request, "per_page"), "100"));

        List<JsonNode> matching = new ArrayList<>();
        for (JsonNode entry : entries) {
            Instant when = Instant.parse(entry.path("when").asText());
            if ((since == null || when.isAfter(since)) && (before == null || when.isBefore(before))
                    && matches(request, "actor.email", entry.path("actor").path("email"))
                    && matches(request, "actor.ip", entry.path("actor").path("ip"))
                    && matches(request, "action.type", entry.path("action").path("type"))
                    && matches(request, "zone.name", entry.path("metadata").path("zone_name"))) {
                matching.add(entry);
            }
        }
        Comparator<JsonNode> byTime = Comparator.comparing(entry -> Instant.parse(entry.path("when").asText()));
        Comparator<JsonNode> scrambledTies = Comparator.comparing(entry -> Integer.reverse(entry.path("id").asText().hashCode()));
        matching.sort(asc ? byTime.thenComparing(scrambledTies) : byTime.reversed().thenComparing(scrambledTies));

        int from = Math.min(matching.size(), (page - 1) * perPage);
        int to = Math.min(matching.size(), from + perPage);
        ObjectNode body = CloudflareFixtures.JSON.createObjectNode().put("success", true);
        body.putArray("errors");
        body.putArray("messages");
        body.putArray("result").addAll(matching.subList(from, to));
        body.putObject("result_info").put("page", page).put("per_page", perPage).put("count", to - from)
                .put("total_count", matching.size())
                .put("total_pages", (matching.size() + perPage - 1) / perPage);
        return responseDefinition().withStatus(200).withHeader("content-type", "application/json")
                .withBody(body.toString()).build();
    }

    private static boolean matches(Request request, String param, JsonNode value) {
        String wanted = param(request, param);
        return wanted == null || wanted.equals(value.asText());
    }

    private static String param(Request request, String name) {
        QueryParameter parameter = request.queryParameter(name);
        return parameter.isPresent() ? parameter.firstValue() : null;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static Instant time(String value) {
        if (value == null) {
            return null;
        }
        return value.length() == 10 ? LocalDate.parse(value).atStartOfDay().toInstant(ZoneOffset.UTC)
                : OffsetDateTime.parse(value).toInstant();
    }
}
