package dev.quiver.runner.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * The shapes of the API's answers, for the OpenAPI document only. The controllers answer JSON built by
 * {@code ContractJson} and the stores (shared with the CLI, whose {@code --json} output is the same), so these
 * records are never instantiated: micronaut-openapi reads them at compile time, from the {@link ApiResponse}s on the
 * controller methods, and {@code OpenApiDocumentTest} validates real answers against what the document says, so a
 * field that drifts breaks a test rather than the document silently.
 *
 * <p>The error answers are declared once each, as meta-annotations ({@link Keyed}, {@link Refused}, ...) that
 * micronaut-openapi reads like the {@code @ApiResponse}s they carry; every one is the {@link ErrorBody}.
 */
final class ApiDocs {

    private ApiDocs() {
    }

    static final String JSON = MediaType.APPLICATION_JSON;

    // ---- errors

    /** {@code {"error": {...}}}: what every refused or failed request answers. */
    @Schema(name = "ErrorBody", description = "What every refused or failed request answers (the contract's error"
            + " object).")
    record ErrorBody(Error error) {
    }

    @Schema(name = "Error", description = "What went wrong, and what to do about it.")
    record Error(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"INVALID_INPUT",
                    "PERMISSION_DENIED", "AUTHENTICATION_FAILED", "NOT_FOUND", "RATE_LIMITED", "UPSTREAM_ERROR",
                    "PLUGIN_FAULT", "TIMEOUT", "UNKNOWN_SKILL", "UNKNOWN_CONNECTION", "INVALID_CONNECTION",
                    "SECRET_UNAVAILABLE", "STORE_LOCKED"}) String code,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message,
            @ArraySchema(maxItems = 50, schema = @Schema(type = "object",
                    description = "One violation; for INVALID_INPUT its JSON pointer, e.g. {\"pointer\": \"/since\"}"))
            List<Object> details,
            @Schema(name = "details_total", description = "Present when details lists only the first 50")
            Integer detailsTotal,
            @Nullable String remediation,
            @Nullable List<MissingPermission> missing,
            @Schema(name = "execution_id", description = "The execution's record, when one was made")
            String executionId,
            @Schema(name = "request_ids", description = "The vendor's ids of the requests sent") List<String> requestIds) {
    }

    @Schema(name = "MissingPermission", description = "A permission the connection lacks for the skill")
    record MissingPermission(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "In the connection type's"
                    + " vocabulary") String permission,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Where it must be held, in the"
                    + " connection type's vocabulary") String scope,
            @Schema(nullable = true) String resource,
            @Nullable List<String> alternatives,
            @Nullable String reason) {
    }

    /** Every route that needs a key: 401 without a valid one, 403 when its role is too low. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @ApiResponse(responseCode = "401", description = "No API key, or one unknown, revoked or expired"
            + " (AUTHENTICATION_FAILED; WWW-Authenticate: Bearer)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "403", description = "The key's role is below the route's, or the key is limited to"
            + " some connections and the route is not for it (PERMISSION_DENIED)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface Keyed {
    }

    /** A route with a JSON body, or parameters it checks: 400 (nothing changed), 413, 415. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "400", description = "The request is refused as it is; nothing was changed"
            + " (INVALID_INPUT, details name each field)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface Refused {
    }

    /** A route that reads a body: 413 past its limit, 415 for a content type it does not take. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "413", description = "The body is over the route's limit (1 MiB of JSON, 16 MiB of"
            + " batch, 64 MiB of plugin archive), counted as it arrives (INVALID_INPUT)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "415", description = "The route does not take this Content-Type (INVALID_INPUT)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface WithBody {
    }

    /** A route about one thing named in its path. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "404", description = "No such thing; a connection outside the key's scope reads"
            + " exactly as a missing one (NOT_FOUND, UNKNOWN_SKILL, UNKNOWN_CONNECTION)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface Named {
    }

    /** A route that conflicts with what is stored. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "409", description = "It conflicts with what is stored (an id already used, a"
            + " version not newer, a connection or store that cannot be used as it is); nothing was changed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface Conflicting {
    }

    /** A route that runs a skill: the vendor's and the run's failures. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "429", description = "The vendor's rate limit (RATE_LIMITED; Retry-After)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "500", description = "The plugin failed, or broke its output schema (PLUGIN_FAULT)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "502", description = "The vendor refused the connection's credential"
            + " (AUTHENTICATION_FAILED) or failed (UPSTREAM_ERROR)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @ApiResponse(responseCode = "504", description = "The execution ran past its timeout (TIMEOUT)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface Runs {
    }

    // ---- health

    @Schema(name = "Health")
    record Health(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"ok", "degraded"}) String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version,
            HealthPlugins plugins,
            Readable store,
            Readable records) {
    }

    @Schema(name = "HealthPlugins")
    record HealthPlugins(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long started,
                         @Schema(name = "not_started", requiredMode = Schema.RequiredMode.REQUIRED) long notStarted,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) long skills) {
    }

    @Schema(name = "Readable")
    record Readable(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean readable) {
    }

    // ---- skills and executions

    @Schema(name = "SkillList")
    record SkillList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<SkillSummary> skills) {
    }

    @Schema(name = "SkillSummary", description = "A skill as the catalogue lists it")
    record SkillSummary(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String title,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"read", "write"}) String access,
            @Schema(name = "required_permissions", requiredMode = Schema.RequiredMode.REQUIRED)
            List<RequiredPermission> requiredPermissions,
            PluginRef plugin) {
    }

    @Schema(name = "RequiredPermission", description = "One of these permissions, at this scope")
    record RequiredPermission(
            @Schema(name = "any_of", requiredMode = Schema.RequiredMode.REQUIRED) List<String> anyOf,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String scope,
            @Schema(description = "Listed so a token can hold it; the skill runs without it") Boolean optional,
            @Schema(description = "What an optional permission enables") String enables,
            @Schema(description = "When the permission is needed (a mode of the skill)") String when) {
    }

    @Schema(name = "PluginRef")
    record PluginRef(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
                     @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version) {
    }

    @Schema(name = "SkillDescriptor", description = "A skill, with its input and output schemas (JSON Schema"
            + " draft 2020-12)")
    record SkillDescriptor(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String title,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"read", "write"}) String access,
            @Schema(name = "required_permissions", requiredMode = Schema.RequiredMode.REQUIRED)
            List<RequiredPermission> requiredPermissions,
            PluginRef plugin,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String description,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version,
            @Schema(name = "connection_type", requiredMode = Schema.RequiredMode.REQUIRED) String connectionType,
            @Schema(name = "input_schema", requiredMode = Schema.RequiredMode.REQUIRED, type = "object")
            Object inputSchema,
            @Schema(name = "output_schema", requiredMode = Schema.RequiredMode.REQUIRED, type = "object")
            Object outputSchema) {
    }

    @Schema(name = "ExecutionResult", description = "A successful execution")
    record ExecutionResult(
            @Schema(name = "execution_id", requiredMode = Schema.RequiredMode.REQUIRED) String executionId,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "succeeded") String status,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String skill,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "object",
                    description = "The skill's output, valid against its output_schema") Object output,
            @Schema(name = "request_ids", requiredMode = Schema.RequiredMode.REQUIRED) List<String> requestIds,
            @Nullable List<String> warnings,
            @Schema(name = "duration_ms", requiredMode = Schema.RequiredMode.REQUIRED) long durationMs) {
    }

    @Schema(name = "ExecutionList", description = "Newest first; next_cursor when there are more")
    record ExecutionList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ExecutionRecord> executions,
                         @Schema(name = "next_cursor") String nextCursor) {
    }

    @Schema(name = "ExecutionRecord", description = "What an execution did; the list leaves output out")
    record ExecutionRecord(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String skill,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String connection,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The key's id, or operator")
            String caller,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "http") String source,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time") String started,
            @Schema(name = "duration_ms", requiredMode = Schema.RequiredMode.REQUIRED) long durationMs,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"succeeded", "failed"})
            String status,
            @Schema(name = "error_code") String errorCode,
            @Schema(name = "request_ids", requiredMode = Schema.RequiredMode.REQUIRED) List<String> requestIds,
            @Schema(name = "requests_sent", requiredMode = Schema.RequiredMode.REQUIRED) int requestsSent,
            @Schema(name = "output_bytes", requiredMode = Schema.RequiredMode.REQUIRED) long outputBytes,
            @Schema(name = "dry_run", requiredMode = Schema.RequiredMode.REQUIRED) boolean dryRun,
            @Schema(type = "object", description = "The input as the schema allows it kept") Object input,
            @Schema(type = "object") Object output) {
    }

    // ---- the calling key

    @Schema(name = "Me", description = "The calling key, so that a client offers only what it may do")
    record Me(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The key's id") String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = {"viewer", "analyst", "responder",
                    "admin"}) String role,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The connection ids and globs the key"
                    + " is limited to; [\"*\"] for every connection") List<String> tenants,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The stored connections the key may"
                    + " use: id and type only") List<ConnectionRef> connections) {
    }

    @Schema(name = "ConnectionRef")
    record ConnectionRef(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
                         @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String type) {
    }

    // ---- connections

    @Schema(name = "ConnectionList")
    record ConnectionList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<StoredConnection> connections) {
    }

    @Schema(name = "StoredConnection", description = "A stored connection as sent, its secrets replaced by the auth"
            + " method and a fingerprint; other fields are the type's settings",
            additionalProperties = Schema.AdditionalPropertiesValue.TRUE)
    record StoredConnection(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String type,
            AuthMethod auth,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Identifies the secret, never"
                    + " reveals it") String fingerprint,
            @Schema(name = "added_at", format = "date-time") String addedAt,
            @Schema(type = "string", allowableValues = "needs_reconnect", description = "Present when the OAuth grant is gone")
            String status) {
    }

    @Schema(name = "AuthMethod", description = "The auth method only: secrets are write-only")
    record AuthMethod(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "api_token") String method) {
    }

    @Schema(name = "Removed")
    record Removed(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The id removed")
                   String removed,
                   @Schema(description = "Present when the OAuth grant could not be revoked at the vendor (the"
                           + " local secret was deleted regardless): what failed and what to do") String warning) {
    }

    @Schema(name = "ConnectionTest", description = "What the connection may do: its permissions, each skill's"
            + " readiness, and the type's verify skill run against the vendor")
    record ConnectionTest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String connection,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String type,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean verified,
            @Schema(description = "Why it was not verified") String reason,
            @Schema(type = "object", description = "{\"basis\", \"groups\"}: where the permissions come from")
            Object permissions,
            @Nullable @ArraySchema(schema = @Schema(type = "object", description = "A skill: status, can_run,"
                    + " missing, why")) List<Object> skills,
            @Nullable List<String> warnings,
            @Nullable ExecutionResult verify) {
    }

    @Schema(name = "ConnectStarted", description = "Open authorize_url in a browser; the vendor sends it back to the"
            + " callback before expires_at")
    record ConnectStarted(
            @Schema(name = "authorize_url", requiredMode = Schema.RequiredMode.REQUIRED, format = "uri")
            String authorizeUrl,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String state,
            @Schema(name = "expires_at", requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time")
            String expiresAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> scopes) {
    }

    // ---- plugins

    @Schema(name = "PluginList")
    record PluginList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Plugin> plugins) {
    }

    @Schema(name = "Plugin")
    record Plugin(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "STARTED") String state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String path,
            @Schema(description = "Why it did not start") String reason,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> skills,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Rejection> rejected) {
    }

    @Schema(name = "Rejection", description = "A skill or connection type of the plugin that was not admitted")
    record Rejection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String what,
                     @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String reason) {
    }

    @Schema(name = "PluginInstalled")
    record PluginInstalled(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String state,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String path,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String sha256,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> skills,
            @Schema(description = "The version it replaced") String replaced) {
    }

    @Schema(name = "PluginRemoved")
    record PluginRemoved(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String removed,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String version,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "false while its running executions"
                    + " finish") boolean unloaded,
            @Nullable String note) {
    }

    // ---- keys

    @Schema(name = "KeyList")
    record KeyList(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Key> keys) {
    }

    @Schema(name = "Key", description = "An API key as listed: never the key, nor its hash")
    record Key(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    type = "string", allowableValues = {"viewer", "analyst", "responder", "admin"}) String role,
            @Schema(description = "Present when the key is limited to these connection ids or globs")
            List<String> connections,
            @Schema(name = "created_at", requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time")
            String createdAt,
            @Schema(name = "expires_at", format = "date-time") String expiresAt,
            @Schema(name = "revoked_at", format = "date-time") String revokedAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean active) {
    }

    @Schema(name = "CreatedKey", description = "The key just created, shown this once")
    record CreatedKey(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED,
                    type = "string", allowableValues = {"viewer", "analyst", "responder", "admin"}) String role,
            @Nullable List<String> connections,
            @Schema(name = "created_at", requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time")
            String createdAt,
            @Schema(name = "expires_at", format = "date-time") String expiresAt,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) boolean active,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "Send as 'Authorization: Bearer"
                    + " <key>'; it cannot be shown again") String key) {
    }

    @Schema(name = "Revoked")
    record Revoked(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "The key's id") String revoked) {
    }

    // ---- MCP

    @Schema(name = "JsonRpcRequest", description = "One JSON-RPC 2.0 message (MCP Streamable HTTP, stateless):"
            + " initialize, ping, tools/list, tools/call, or a notification (no id)")
    record JsonRpcRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = "2.0") String jsonrpc,
            @Schema(description = "Absent for a notification", oneOf = {String.class, Long.class}) Object id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "tools/call") String method,
            @Schema(type = "object") Object params) {
    }

    @Schema(name = "JsonRpcResponse", description = "One JSON-RPC 2.0 response (MCP)")
    record JsonRpcResponse(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, type = "string", allowableValues = "2.0") String jsonrpc,
            @Schema(description = "The request's id (a string or a number); null for a message that could not be"
                    + " read", nullable = true, oneOf = {String.class, Long.class}) Object id,
            @Schema(type = "object") Object result,
            @Nullable JsonRpcError error) {
    }

    @Schema(name = "JsonRpcError")
    record JsonRpcError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int code,
                        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message,
                        @Nullable @Schema(type = "object") Object data) {
    }
}
