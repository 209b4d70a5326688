package dev.quiver.runner.http;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.pipeline.ExecutionRequest;
import dev.quiver.runner.pipeline.ExecutionResult;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.time.Duration;
import dev.quiver.runner.catalog.LiveCatalog;
import dev.quiver.runner.pipeline.ExecutionPipeline;

/** The catalogue, and running a skill: a thin shell over the pipeline the CLI uses. */
@ApiDocs.Keyed
@Controller("/api/v1/skills")
@ExecuteOn(TaskExecutors.BLOCKING)
final class SkillsController {

    static final Duration DEFAULT_TIMEOUT = ExecutionBody.DEFAULT_TIMEOUT;

    private final LiveCatalog catalog;
    private final ExecutionPipeline pipeline;

    SkillsController(LiveCatalog catalog, ExecutionPipeline pipeline) {
        this.catalog = catalog;
        this.pipeline = pipeline;
    }

    @Get
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "The installed skills",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.SkillList.class)))
    ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode skills = body.putArray("skills");
        catalog.get().entries().forEach(e -> skills.add(ContractJson.summary(e)));
        return body;
    }

    @Get("/{id}")
    @Allowed(Role.VIEWER)
    @ApiResponse(responseCode = "200", description = "The skill's descriptor",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.SkillDescriptor.class)))
    @ApiDocs.Named
    ObjectNode describe(@PathVariable String id) {
        return catalog.get().find(id).map(ContractJson::descriptor).orElseThrow(() -> unknownSkill(id));
    }

    @Post("/{id}/executions")
    @Allowed(Role.ANALYST)
    @Consumes({MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    @ApiResponse(responseCode = "200", description = "The skill ran; its output",
            content = @Content(mediaType = ApiDocs.JSON, schema = @Schema(implementation = ApiDocs.ExecutionResult.class)))
    @ApiDocs.Refused
    @ApiDocs.WithBody
    @ApiDocs.Named
    @ApiDocs.Conflicting
    @ApiDocs.Runs
    HttpResponse<JsonNode> execute(@PathVariable String id, @Nullable @Body ExecutionBody body,
                                   HttpRequest<?> request) {
        if (body == null) {
            throw ApiException.badRequest("the body must be a JSON object",
                    "Send {\"connection\", \"input\"} as a JSON object.");
        }
        ExecutionResult result = pipeline.execute(new ExecutionRequest(id, body.connection(), body.input(),
                body.dryRun(), body.timeout(), AccessFilter.caller(request), "http"));
        if (!result.succeeded()) {
            throw ApiException.of(result);
        }
        return HttpResponse.ok(ContractJson.result(result));
    }

    private ApiException unknownSkill(String id) {
        return new ApiException(Failure.of(ErrorCode.UNKNOWN_SKILL, catalog.get().unknownSkillMessage(id),
                "GET /api/v1/skills lists the installed skills."));
    }
}
