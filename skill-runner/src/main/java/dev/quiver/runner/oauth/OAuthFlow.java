package dev.quiver.runner.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.OAuthProfile;
import dev.quiver.api.PermissionRule;
import dev.quiver.runner.catalog.CatalogEntry;
import dev.quiver.runner.catalog.SkillCatalog;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.store.ConnectionStore;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * "Click to connect": the runner's side of OAuth 2.0's authorization-code grant with PKCE S256. {@link #start}
 * computes the least-privilege scopes from the chosen skills and answers the URL to send the user to;
 * {@link #complete} takes the callback's code and state, exchanges the code and stores the connection, its tokens
 * sealed like every secret and its permissions those the granted scopes give. The vendor's endpoints and scopes come
 * from the connection type's {@link OAuthProfile}; nothing here is vendor-specific.
 */
public final class OAuthFlow {

    /** What a started connect answers: where to send the user, the state to expect back and until when. */
    public record Started(String authorizeUrl, String state, Instant expiresAt, List<String> scopes) {
    }

    /** A stored connection: its id, type, the scopes granted, the skills ready and those refused for a scope. */
    public record Connected(String connectionId, String type, List<String> grantedScopes, List<String> readySkills,
                            Map<String, List<String>> declinedSkills) {
    }

    /** A connect that cannot start, or a callback that changes nothing; the message is safe to show. */
    public static final class OAuthException extends Exception {
        private final int status;

        OAuthException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Supplier<SkillCatalog> catalog;
    private final java.util.function.Predicate<String> callerActive;
    private final ConnectionStore connections;
    private final OAuthClientSettings client;
    private final PendingConnects pending;
    // Made on the first token request: building an HttpClient initialises TLS (~0.1 s) and starts a selector
    // thread that sits in native code, and the JVM's exit waits up to 0.3 s for such threads. Every command builds
    // an OAuthFlow; few ever exchange a token.
    private HttpClient http;
    private final Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param callerActive whether the API key with this id may still connect (exists, active, admin): the callback
     *                     of a connect whose key was revoked meanwhile changes nothing
     */
    public OAuthFlow(Supplier<SkillCatalog> catalog, ConnectionStore connections, OAuthClientSettings client,
                     Clock clock, java.util.function.Predicate<String> callerActive) {
        this.callerActive = callerActive;
        this.catalog = catalog;
        this.connections = connections;
        this.client = client;
        this.pending = new PendingConnects(clock);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    /**
     * Starts a connect (or a reconnect, for an existing id).
     *
     * @param request         {@code type}, optional {@code skills} (ids; default every installed skill of the type),
     *                        and the connection's settings and optional {@code base_url}
     * @param defaultRedirect the service's own callback URL, used when no redirect URI is configured
     */
    public Started start(String connectionId, JsonNode request, String callerId, String defaultRedirect)
            throws OAuthException {
        if (!client.configured()) {
            throw new OAuthException(409, "OAuth is not configured: set QUIVER_OAUTH_CLIENT_ID (and"
                    + " QUIVER_OAUTH_CLIENT_SECRET for a confidential client) and restart the service");
        }
        String typeId = request.path("type").asText("");
        ConnectionType type = catalog.get().connectionType(typeId).orElseThrow(
                () -> new OAuthException(400, "unknown connection type '" + typeId + "'"));
        OAuthProfile profile = type.oauth();
        if (profile == null) {
            throw new OAuthException(400, "connection type '" + typeId + "' cannot be connected by OAuth");
        }
        List<CatalogEntry> skills = skills(typeId, request.path("skills"));
        Set<String> required = new LinkedHashSet<>();
        for (CatalogEntry skill : skills) {
            required.addAll(requiredPermissions(skill, profile));
        }
        List<String> scopes;
        try {
            scopes = profile.scopesFor(required);
        } catch (IllegalArgumentException e) {
            throw new OAuthException(400, e.getMessage());
        }
        ObjectNode settings = request.deepCopy() instanceof ObjectNode copy ? copy : Json.MAPPER.createObjectNode();
        settings.remove(List.of("skills", "auth", "permissions"));
        settings.put("id", connectionId);
        String state = Pkce.randomUrlSafe(32);
        Pkce pkce = Pkce.generate();
        String redirectUri = client.redirectUri() != null ? client.redirectUri() : defaultRedirect;
        Instant expiresAt = pending.expiry();
        pending.put(state, new PendingConnects.Pending(connectionId, typeId, settings, scopes,
                skills.stream().map(CatalogEntry::id).toList(), pkce, redirectUri, callerId, expiresAt));
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", client.clientId());
        query.put("redirect_uri", redirectUri);
        query.put("scope", String.join(" ", scopes));
        query.put("state", state);
        query.put("code_challenge", pkce.challenge());
        query.put("code_challenge_method", "S256");
        return new Started(base(profile) + profile.authorizePath() + "?" + form(query), state, expiresAt, scopes);
    }

    /**
     * Completes a connect from its callback. The state is consumed first, so that whatever happens next a second
     * callback with it changes nothing.
     */
    public Connected complete(String code, String state, String error) throws OAuthException {
        PendingConnects.Pending connect = pending.take(state);
        if (connect == null) {
            throw new OAuthException(400, "This connect link is unknown, expired or already used. Start the connect"
                    + " again.");
        }
        if (!callerActive.test(connect.callerId())) {
            throw new OAuthException(403, "The API key that started this connect is no longer an active admin key:"
                    + " connection '" + connect.connectionId() + "' was not changed.");
        }
        if (error != null) {
            throw new OAuthException(400, "access_denied".equals(error)
                    ? "Consent was denied: connection '" + connect.connectionId() + "' was not changed."
                    : "The authorization server answered '" + error + "': connection '" + connect.connectionId()
                    + "' was not changed.");
        }
        if (code == null || code.isBlank()) {
            throw new OAuthException(400, "The callback carries no code: nothing was changed.");
        }
        ConnectionType type = catalog.get().connectionType(connect.type()).orElseThrow(
                () -> new OAuthException(409, "connection type '" + connect.type() + "' is no longer installed"));
        OAuthProfile profile = type.oauth();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", connect.redirectUri());
        form.put("code_verifier", connect.pkce().verifier());
        form.put("client_id", client.clientId());
        if (client.clientSecret() != null) {
            form.put("client_secret", client.clientSecret());  // client_secret_post
        }
        JsonNode tokens = exchange(base(profile) + profile.tokenPath(), form, connect.connectionId());
        List<String> granted = List.of(tokens.path("scope").asText(String.join(" ", connect.scopes())).split(" "));
        Set<String> permissions = profile.permissionsOf(granted);

        ObjectNode connection = connect.settings().deepCopy();
        connection.put("type", connect.type());
        ObjectNode auth = connection.putObject("auth").put("method", profile.authMethod())
                .put("access_token", tokens.path("access_token").asText());
        if (tokens.hasNonNull("refresh_token")) {
            auth.put("refresh_token", tokens.path("refresh_token").asText());
        }
        if (tokens.has("expires_in")) {
            auth.put("expires_at", Instant.now().plusSeconds(tokens.path("expires_in").asLong()).toString());
        }
        auth.put("client_id", client.clientId());
        permissions.forEach(connection.putArray("permissions")::add);
        store(connection, connect.connectionId());

        List<String> ready = new ArrayList<>();
        Map<String, List<String>> declined = new LinkedHashMap<>();
        for (String skillId : connect.skills()) {
            catalog.get().find(skillId).ifPresent(skill -> {
                List<String> missing = requiredPermissions(skill, profile).stream()
                        .filter(p -> !permissions.contains(p)).toList();
                if (missing.isEmpty()) {
                    ready.add(skillId);
                } else {
                    declined.put(skillId, profile.scopesFor(missing).stream()
                            .filter(s -> !profile.alwaysScopes().contains(s)).toList());
                }
            });
        }
        return new Connected(connect.connectionId(), connect.type(), granted, ready, declined);
    }

    /**
     * The connection with a usable access token: an OAuth connection whose token expires within {@link #SKEW} is
     * refreshed first, once per connection at a time (a thread that waited finds the refreshed token stored and
     * uses it). The rotated refresh token is stored, atomically with the new access token, before either is used.
     * On {@code invalid_grant} the connection becomes {@code needs_reconnect}.
     *
     * @throws FailureException AUTHENTICATION_FAILED when the connection needs reconnecting
     */
    public Connection fresh(Connection connection) throws FailureException {
        OAuthProfile profile = catalog.get().connectionType(connection.type()).map(ConnectionType::oauth).orElse(null);
        if (profile == null || !profile.authMethod().equals(connection.credential().method()) || !due(connection)) {
            return connection;
        }
        String id = connection.id();
        synchronized (locks.computeIfAbsent(id, key -> new Object())) {
            if ("needs_reconnect".equals(connections.status(id))) {
                throw needsReconnect(id).raise();
            }
            Connection current = connections.find(id).orElse(connection);
            String refreshToken = current.credential().values().get("refresh_token");
            if (!due(current) || refreshToken == null) {
                return current;  // refreshed meanwhile, or no refresh token: the vendor's 401 will say it
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", refreshToken);
            form.put("client_id", client.clientId() != null ? client.clientId()
                    : current.credential().values().getOrDefault("client_id", ""));
            if (client.clientSecret() != null) {
                form.put("client_secret", client.clientSecret());
            }
            HttpResponse<String> response;
            try {
                response = http().send(HttpRequest.newBuilder(URI.create(base(profile) + profile.tokenPath()))
                        .timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(),
                        HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                return current;  // unreachable now: the execution goes on with the old token and may get a 401
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            JsonNode body;
            try {
                body = Json.MAPPER.readTree(response.body());
            } catch (IOException e) {
                body = Json.MAPPER.createObjectNode();
            }
            if (response.statusCode() == 200 && body.path("access_token").isTextual()) {
                Map<String, String> values = new LinkedHashMap<>(current.credential().values());
                values.put("access_token", body.path("access_token").asText());
                if (body.path("refresh_token").isTextual()) {
                    values.put("refresh_token", body.path("refresh_token").asText());
                }
                if (body.has("expires_in")) {
                    values.put("expires_at", Instant.now().plusSeconds(body.path("expires_in").asLong()).toString());
                }
                connections.replaceSecrets(id, values);
                return connections.find(id).orElse(current);
            }
            if ("invalid_grant".equals(body.path("error").asText())) {
                connections.markNeedsReconnect(id);
                throw needsReconnect(id).raise();
            }
            return current;
        }
    }

    /** Refreshing this long before expiry leaves room for the request itself and for clock skew. */
    static final Duration SKEW = Duration.ofSeconds(1);

    private static boolean due(Connection connection) {
        String expiresAt = connection.credential().values().get("expires_at");
        if (expiresAt == null) {
            return false;
        }
        try {
            return !Instant.now().plus(SKEW).isBefore(Instant.parse(expiresAt));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static Failure needsReconnect(String id) {
        return Failure.of(ErrorCode.AUTHENTICATION_FAILED, "connection '" + id + "' needs reconnecting: its OAuth"
                + " grant was revoked or has expired", "An admin reconnects it: POST /api/v1/connections/" + id
                + "/connect, open the authorize_url and approve; then run again.");
    }

    private List<CatalogEntry> skills(String type, JsonNode wanted) throws OAuthException {
        List<CatalogEntry> ofType = catalog.get().entries().stream()
                .filter(e -> e.connectionType().id().equals(type)).toList();
        if (wanted.isMissingNode() || wanted.isNull()) {
            return ofType;
        }
        if (!wanted.isArray() || wanted.isEmpty()) {
            throw new OAuthException(400, "skills must be a non-empty array of skill ids");
        }
        List<CatalogEntry> chosen = new ArrayList<>();
        for (JsonNode id : wanted) {
            CatalogEntry entry = ofType.stream().filter(e -> e.id().equals(id.asText())).findFirst().orElseThrow(
                    () -> new OAuthException(400, "no installed skill '" + id.asText() + "' of type " + type));
            chosen.add(entry);
        }
        return chosen;
    }

    /** Of each required rule, the first permission an OAuth scope can grant (rules are "any of"). */
    private static List<String> requiredPermissions(CatalogEntry skill, OAuthProfile profile) {
        List<String> permissions = new ArrayList<>();
        for (PermissionRule rule : skill.descriptor().permissions()) {
            if (rule.optional()) {
                continue;
            }
            rule.anyOf().stream().filter(profile.scopesByPermission()::containsKey).findFirst()
                    .or(() -> rule.anyOf().stream().findFirst()).ifPresent(permissions::add);
        }
        return permissions;
    }

    private JsonNode exchange(String url, Map<String, String> form, String connectionId) throws OAuthException {
        HttpResponse<String> response;
        try {
            response = http().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/x-www-form-urlencoded")
                    .header("accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new OAuthException(502, "The authorization server could not be reached: connection '"
                    + connectionId + "' was not changed.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException(503, "Interrupted: connection '" + connectionId + "' was not changed.");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            body = Json.MAPPER.createObjectNode();
        }
        if (response.statusCode() != 200 || !body.path("access_token").isTextual()) {
            // only the error code is shown: a description could echo what was sent
            throw new OAuthException(400, "The authorization server refused the code ("
                    + body.path("error").asText("status " + response.statusCode()) + "): connection '"
                    + connectionId + "' was not changed. Start the connect again.");
        }
        return body;
    }

    /** Stores a new connection, or replaces the one with that id (a reconnect). */
    private void store(ObjectNode connection, String id) throws OAuthException {
        try {
            if (connections.contains(id)) {
                connections.remove(id);
            }
            connections.addRemote(connection, "the OAuth callback");
        } catch (FailureException e) {
            throw new OAuthException(400, "Connection '" + id + "' could not be stored: " + e.failure().message());
        }
    }

    private String base(OAuthProfile profile) {
        String base = client.baseUrl() != null ? client.baseUrl() : profile.baseUrl();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    private static String form(Map<String, String> fields) {
        StringJoiner joined = new StringJoiner("&");
        fields.forEach((name, value) -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }
}
