package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.records.RecordStore;
import dev.quiver.runner.store.ConnectionStore;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.plugins.PluginReport;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import dev.quiver.runner.internal.QuiverVersion;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

/** Health, metrics and this API's OpenAPI document. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
final class OperationsController {

    /** Written at compile time by micronaut-openapi from the controllers (see {@link ApiDescription}). */
    static final String OPENAPI = "/META-INF/swagger/openapi.yml";

    private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String YAML_TYPE = "application/yaml";

    private final LiveCatalog catalog;
    private final ConnectionStore connections;
    private final ApiKeyStore keys;
    private final RecordStore records;
    private final PrometheusMeterRegistry meters;
    private final String openApi;

    OperationsController(LiveCatalog catalog, ConnectionStore connections, ApiKeyStore keys, RecordStore records,
                         PrometheusMeterRegistry meters) {
        this.catalog = catalog;
        this.connections = connections;
        this.keys = keys;
        this.records = records;
        this.meters = meters;
        try (InputStream in = OperationsController.class.getResourceAsStream(OPENAPI)) {
            this.openApi = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the runner jar has no " + OPENAPI + ": micronaut-openapi did not run", e);
        }
    }

    /** Liveness and readiness: 200 when the stores can be read, 503 when not. Needs no key and says no secret. */
    @Get("/health")
    @Public
    @SecurityRequirement(name = "")
    @ApiResponse(responseCode = "200", description = "Ready",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.Health.class)))
    @ApiResponse(responseCode = "503", description = "A store cannot be read",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.Health.class)))
    HttpResponse<ObjectNode> health() {
        List<PluginReport> reports = catalog.plugins().reports();
        boolean store = readable(connections::list) && keys.readable();
        boolean records = this.records.readable();
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", store && records ? "ok" : "degraded");
        body.put("version", QuiverVersion.VALUE);
        ObjectNode plugins = body.putObject("plugins");
        plugins.put("started", reports.stream().filter(PluginReport::started).count());
        plugins.put("not_started", reports.stream().filter(r -> !r.started()).count());
        plugins.put("skills", catalog.get().entries().size());
        body.putObject("store").put("readable", store);
        body.putObject("records").put("readable", records);
        return HttpResponse.status(store && records ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    // Neither route declares @Produces: micronaut-openapi would document the error answers (JSON, from the access
    // filter) in the route's own media type. The content type is set on the answer instead.
    @Get("/metrics")
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "Prometheus text exposition: the execution, latency and"
            + " vendor-request series, and the JVM's", content = @Content(mediaType = METRICS_TYPE,
            schema = @Schema(type = "string")))
    @ApiDocs.Keyed
    HttpResponse<String> metrics() {
        return HttpResponse.ok(meters.scrape()).contentType(METRICS_TYPE);
    }

    @Get("/openapi.yml")
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "This document",
            content = @Content(mediaType = YAML_TYPE, schema = @Schema(type = "string")))
    @ApiDocs.Keyed
    HttpResponse<String> openApi() {
        return HttpResponse.ok(openApi).contentType(YAML_TYPE);
    }

    private static boolean readable(Runnable read) {
        try {
            read.run();
            return true;
        } catch (UncheckedIOException | IllegalStateException e) {
            return false;
        }
    }
}
