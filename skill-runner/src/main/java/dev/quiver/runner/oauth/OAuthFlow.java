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
    // Set once from the environment; serve --sandbox may supply its simulator's client when the environment has none.
    private volatile OAuthClientSettings client;
    // The simulator's connection settings (base_url, account_id, ...) by type: a sandbox connect needs no typing.
    private volatile Map<String, ObjectNode> connectionDefaults = Map.of();
    private final PendingConnects pending;
    // Made on the first token request: building an HttpClient initialises TLS (~0.1 s) and starts a selector
    // thread that sits in native code, and the JVM's exit waits up to 0.3 s for such threads. Every command builds
    // an OAuthFlow; few ever exchange a token.
    private HttpClient http;
    private final Clock clock;
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OAuthFlow.class);

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
        this.clock = clock;
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        return http;
    }

    /** Whether a client is registered, so that connects can start. */
    public boolean configured() {
        return client.configured();
    }

    /**
     * Uses {@code fallback} (a simulator's public client) when the environment registered no client of its own; a
     * configured client is never replaced. Connects of {@code type} then take their settings from
     * {@code defaults} (the simulator's connection: its {@code base_url}, account and zone) where the request
     * names none.
     *
     * @return whether {@code fallback} is now the client
     */
    public synchronized boolean useClientIfNone(OAuthClientSettings fallback, String type, ObjectNode defaults) {
        if (client.configured() || !fallback.configured()) {
            return false;
        }
        ObjectNode settings = defaults.deepCopy();
        settings.remove(List.of("id", "type", "auth", "permissions"));
        client = fallback;
        connectionDefaults = Map.of(type, settings);
        return true;
    }

    /** Where the HTTP service's callback is, below its base URL. */
    public static final String CALLBACK_PATH = "/api/v1/oauth/callback";

    /**
     * Tells the flow the address the HTTP service is bound to, for the default redirect URI: never a request's
     * {@code Host} header, which the caller chooses (a forged one would send the code elsewhere). A wildcard
     * address (every interface) gives the loopback one, the only one known to reach this machine; a service
     * reached under another name sets {@code QUIVER_OAUTH_REDIRECT_URI}.
     */
    public void serviceListening(String host, int port) {
        serviceCallback = callbackAt(host, port);
    }

    static String callbackAt(String host, int port) {
        String reachable = host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::")
                || host.equals("[::]") ? "127.0.0.1" : host;
        if (reachable.contains(":") && !reachable.startsWith("[")) {
            reachable = "[" + reachable + "]";
        }
        return "http://" + reachable + ":" + port + CALLBACK_PATH;
    }

    private volatile String serviceCallback;

    /**
     * Starts a connect (or a reconnect, for an existing id) for the HTTP service: the redirect URI is the
     * configured {@code QUIVER_OAUTH_REDIRECT_URI}, else the service's own callback ({@link #serviceListening}).
     *
     * @param request {@code type}, optional {@code skills} (ids; default every installed skill of the type), and
     *                the connection's settings and optional {@code base_url}
     */
    public Started start(String connectionId, JsonNode request, String callerId)
            throws OAuthException, FailureException {
        String redirect = client.redirectUri() != null ? client.redirectUri() : serviceCallback;
        if (redirect == null) {
            throw new OAuthException(409, "no redirect URI: set QUIVER_OAUTH_REDIRECT_URI to this service's"
                    + " callback URL (ending in " + CALLBACK_PATH + ")");
        }
        return startWith(connectionId, request, callerId, redirect);
    }

    /**
     * Starts a connect whose code comes back to {@code redirectUri}, whatever is configured: the CLI's loopback
     * listener.
     */
    public Started startWith(String connectionId, JsonNode request, String callerId, String redirectUri)
            throws OAuthException, FailureException {
        if (!client.configured()) {
            throw new OAuthException(409, "OAuth is not configured: set QUIVER_OAUTH_CLIENT_ID (and"
                    + " QUIVER_OAUTH_CLIENT_SECRET for a confidential client; QUIVER_OAUTH_BASE_URL for a sandbox's"
                    + " authorization server), then restart the service or run the command again");
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
        ObjectNode defaults = connectionDefaults.get(typeId);
        if (defaults != null) {
            defaults.fields().forEachRemaining(field -> {
                if (!settings.has(field.getKey())) {
                    settings.set(field.getKey(), field.getValue().deepCopy());
                }
            });
        }
        settings.put("id", connectionId);
        check(settings, typeId, profile);
        String state = Pkce.randomUrlSafe(32);
        Pkce pkce = Pkce.generate();
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
     * Checks the connection as it will be stored, but for its tokens (a placeholder stands in for them), before the
     * user is sent to approve: a missing or wrong setting found only at the callback would spend the user's consent
     * and the code for nothing.
     *
     * @throws FailureException INVALID_CONNECTION naming the fields, with how to pass them
     */
    private void check(ObjectNode settings, String typeId, OAuthProfile profile) throws FailureException {
        ObjectNode candidate = settings.deepCopy();
        candidate.put("type", typeId);
        candidate.putObject("auth").put("method", profile.authMethod()).put("access_token", "not-yet-issued");
        try {
            connections.check(candidate, "connection '" + settings.path("id").asText() + "'");
        } catch (FailureException e) {
            Failure failure = e.failure();
            throw new Failure(failure.code(), failure.message() + "; no connect was started",
                    failure.details(), "Send each setting in the connect request, named as in a connection file (at"
                    + " the terminal: --setting NAME=VALUE; the base URL with --base-url). "
                    + failure.remediation(), failure.missing(), failure.detailsTotal()).raise();
        }
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
            auth.put("expires_at", clock.instant().plusSeconds(tokens.path("expires_in").asLong()).toString());
        }
        auth.put("client_id", client.clientId());
        // the server that issued these tokens: their refresh and revocation go back to it alone, whatever the
        // deployment's QUIVER_OAUTH_BASE_URL is later (tokens sent elsewhere would be handed to a third party)
        auth.put(AUTHORIZATION_SERVER, base(profile));
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
     * The connection with a usable access token: an OAuth connection whose token expires within its refresh margin
     * ({@link #margin}) is refreshed first, once per connection at a time across threads and processes (see
     * {@link #refresh}).
     *
     * @throws FailureException AUTHENTICATION_FAILED when the connection needs reconnecting
     */
    public Connection fresh(Connection connection) throws FailureException {
        OAuthProfile profile = profile(connection);
        if (profile == null || !due(connection)) {
            return connection;
        }
        return refresh(connection, profile, this::due);
    }

    /**
     * After the vendor refused {@code rejected}'s access token (a 401 before the expiry we know of: revoked, or
     * the vendor's clock): the connection with another access token, refreshed unless another thread or process
     * already did; {@code null} when there is none to be had (not an OAuth connection, no refresh token).
     *
     * @throws FailureException AUTHENTICATION_FAILED when the connection needs reconnecting
     */
    public Connection renew(Connection rejected) throws FailureException {
        OAuthProfile profile = profile(rejected);
        if (profile == null) {
            return null;
        }
        String refused = rejected.credential().values().get("access_token");
        Connection renewed = refresh(rejected, profile,
                current -> java.util.Objects.equals(refused, current.credential().values().get("access_token")));
        return java.util.Objects.equals(renewed.credential().values().get("access_token"), refused) ? null : renewed;
    }

    private OAuthProfile profile(Connection connection) {
        OAuthProfile profile = catalog.get().connectionType(connection.type()).map(ConnectionType::oauth).orElse(null);
        return profile != null && profile.authMethod().equals(connection.credential().method()) ? profile : null;
    }

    /**
     * Refreshes the connection's tokens when {@code needed} says the stored ones still need it, holding the
     * connection's refresh lock (threads and processes sharing the home): after waiting for it, the stored
     * connection is read again, and tokens another refresher stored meanwhile are used as they are. The rotated
     * refresh token is stored (one atomic rename, with the new access token) before the new access token is used:
     * a crash after the vendor answered and before the rename leaves the old refresh token, which the vendor then
     * refuses as reused, and the connection becomes {@code needs_reconnect}, never half-written or lost. On
     * {@code invalid_grant} the connection becomes {@code needs_reconnect}.
     */
    private Connection refresh(Connection seen, OAuthProfile profile, java.util.function.Predicate<Connection> needed)
            throws FailureException {
        String id = seen.id();
        return connections.underRefreshLock(id, () -> {
            if ("needs_reconnect".equals(connections.status(id))) {
                throw needsReconnect(id, seen.type()).raise();
            }
            Connection current = connections.find(id).orElse(null);
            if (current == null) {
                return seen;  // removed meanwhile, or a connection file's (whose tokens are the file's to change)
            }
            String refreshToken = current.credential().values().get("refresh_token");
            if (!needed.test(current) || refreshToken == null) {
                return current;  // the winner's tokens; or no refresh token: the vendor's 401 will say it
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", refreshToken);
            clientOf(current, profile, form);
            HttpResponse<String> response;
            try {
                response = post(issuer(current, profile) + profile.tokenPath(), form);
            } catch (IOException e) {
                return current;  // unreachable now: the execution goes on with the old token and may get a 401
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return current;
            }
            JsonNode body = json(response);
            if (response.statusCode() == 200 && body.path("access_token").isTextual()) {
                Map<String, String> values = new LinkedHashMap<>(current.credential().values());
                values.put("access_token", body.path("access_token").asText());
                if (body.path("refresh_token").isTextual()) {
                    values.put("refresh_token", body.path("refresh_token").asText());
                }
                if (body.has("expires_in")) {
                    values.put("expires_at", clock.instant().plusSeconds(body.path("expires_in").asLong()).toString());
                }
                connections.replaceSecrets(id, values);
                return connections.find(id).orElse(current);
            }
            if ("invalid_grant".equals(body.path("error").asText())) {
                connections.markNeedsReconnect(id);
                log.warn("connection '{}' needs reconnecting: the authorization server refused its refresh token"
                        + " (invalid_grant: the grant was revoked, or the token was already used)", id);
                throw needsReconnect(id, seen.type()).raise();
            }
            return current;
        });
    }

    /**
     * What removing a connection did.
     *
     * @param removed whether a connection with that id was stored (and is now deleted)
     * @param warning why its OAuth grant could not be revoked at the vendor, or {@code null}; safe to show
     */
    public record Removed(boolean removed, String warning) {
    }

    /**
     * Removes a stored connection. An OAuth connection's grant is revoked first at the type's revocation endpoint
     * (RFC 7009: the refresh token, then the access token), so that the tokens stop working at the vendor and not
     * only here; when that fails the local secret is deleted all the same and the answer says so. Under the
     * refresh lock: a refresh finishing meanwhile cannot leave tokens that were never revoked.
     */
    public Removed remove(String id) {
        if (!connections.contains(id)) {
            return new Removed(false, null);
        }
        try {
            return connections.underRefreshLock(id, () -> {
                String warning = null;
                try {
                    // only an OAuth connection's secrets are opened: another one has nothing to revoke
                    JsonNode summary = connections.summary(id).orElse(Json.MAPPER.createObjectNode());
                    boolean oauth = catalog.get().connectionType(summary.path("type").asText())
                            .map(ConnectionType::oauth)
                            .filter(p -> p.authMethod().equals(summary.at("/auth/method").asText())).isPresent();
                    if (oauth) {
                        warning = connections.find(id).map(this::revoke).orElse(null);
                    }
                } catch (FailureException unopened) {
                    warning = "the grant was not revoked at the vendor: the stored tokens could not be opened ("
                            + unopened.failure().message() + "); revoke Quiver's access in the vendor's list of"
                            + " authorized applications";
                }
                // not logged here: the caller shows the warning (the CLI on stderr, the API in its answer), and a
                // log line as well printed it twice at the terminal
                return new Removed(connections.remove(id), warning);
            });
        } catch (FailureException e) {
            // the work above throws none; the lock's signature does: remove all the same, and say why
            return new Removed(connections.remove(id), e.failure().message());
        }
    }

    /** Revokes an OAuth connection's tokens; {@code null} when done or nothing to revoke, else why not. */
    private String revoke(Connection connection) {
        OAuthProfile profile = profile(connection);
        if (profile == null) {
            return null;
        }
        String advice = "; revoke Quiver's access in the vendor's list of authorized applications";
        if (profile.revokePath() == null) {
            return "the grant was not revoked: connection type " + connection.type() + " has no revocation"
                    + " endpoint" + advice;
        }
        String url = issuer(connection, profile) + profile.revokePath();
        Map<String, String> values = connection.credential().values();
        for (String kind : List.of("refresh_token", "access_token")) {
            String token = values.get(kind);
            if (token == null) {
                continue;
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", token);
            form.put("token_type_hint", kind);
            clientOf(connection, profile, form);
            try {
                HttpResponse<String> response = post(url, form);
                if (response.statusCode() != 200) {
                    return "the grant was not revoked: " + url + " answered " + response.statusCode() + " ("
                            + json(response).path("error").asText("no error code") + ")" + advice;
                }
            } catch (IOException e) {
                return "the grant was not revoked: " + url + " could not be reached" + advice;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "the grant was not revoked: interrupted" + advice;
            }
        }
        return null;
    }

    /** Refresh at most this long before expiry. */
    static final Duration MAX_MARGIN = Duration.ofSeconds(60);

    /**
     * How long before expiry a token of {@code lifetime} is refreshed: a tenth of its lifetime, at most a minute.
     * Room for the request itself and for clock skew, and a short-lived token is not refreshed at once.
     */
    static Duration margin(Duration lifetime) {
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero()) {
            return MAX_MARGIN;
        }
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(MAX_MARGIN) < 0 ? tenth : MAX_MARGIN;
    }

    private boolean due(Connection connection) {
        String expiresAt = connection.credential().values().get("expires_at");
        if (expiresAt == null) {
            return false;
        }
        Instant expires;
        try {
            expires = Instant.parse(expiresAt);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
        Instant now = clock.instant();
        if (now.plus(MAX_MARGIN).isBefore(expires)) {
            return false;  // the usual case, decided without reading the store
        }
        Instant issued = connections.credentialIssuedAt(connection.id());
        return !now.plus(margin(issued == null ? null : Duration.between(issued, expires))).isBefore(expires);
    }

    private static Failure needsReconnect(String id, String type) {
        return Failure.of(ErrorCode.AUTHENTICATION_FAILED, "connection '" + id + "' needs reconnecting: its OAuth"
                + " grant was revoked or has expired", "An admin reconnects it: POST /api/v1/connections/" + id
                + "/connect, open the authorize_url and approve (at a terminal: connections connect " + id
                + " --type " + type + "); then run again.");
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
            response = post(url, form);
        } catch (IOException e) {
            throw new OAuthException(502, "The authorization server could not be reached: connection '"
                    + connectionId + "' was not changed.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException(503, "Interrupted: connection '" + connectionId + "' was not changed.");
        }
        JsonNode body = json(response);
        if (response.statusCode() != 200 || !body.path("access_token").isTextual()) {
            // only the error code is shown: a description could echo what was sent
            throw new OAuthException(400, "The authorization server refused the code ("
                    + body.path("error").asText("status " + response.statusCode()) + "): connection '"
                    + connectionId + "' was not changed. Start the connect again.");
        }
        return body;
    }

    private HttpResponse<String> post(String url, Map<String, String> form) throws IOException, InterruptedException {
        return http().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        try {
            JsonNode body = Json.MAPPER.readTree(response.body());
            return body == null ? Json.MAPPER.createObjectNode() : body;
        } catch (IOException e) {
            return Json.MAPPER.createObjectNode();
        }
    }

    /** Stores a new connection, or replaces the one with that id (a reconnect). */
    private void store(ObjectNode connection, String id) throws OAuthException {
        try {
            // Under the refresh lock: a refresh of the old grant finishing meanwhile cannot write its tokens over
            // the new grant's. One atomic rename: the connection is never absent, and its records stay its own.
            connections.underRefreshLock(id, () -> connections.replaceRemote(connection, "the OAuth callback"));
        } catch (FailureException e) {
            throw new OAuthException(400, "Connection '" + id + "' could not be stored: " + e.failure().message());
        }
    }

    /** The field of a connection's {@code auth} naming the authorization server that issued its tokens. */
    public static final String AUTHORIZATION_SERVER = "authorization_server";

    /**
     * Where a stored connection's tokens are refreshed and revoked: the authorization server that issued them as
     * stored at connect; a connection stored before that was recorded falls back to the deployment's (as it did).
     */
    private String issuer(Connection connection, OAuthProfile profile) {
        String stored = connection.credential().values().get(AUTHORIZATION_SERVER);
        if (stored == null || stored.isBlank()) {
            return base(profile);
        }
        return stored.endsWith("/") ? stored.substring(0, stored.length() - 1) : stored;
    }

    /**
     * Adds the client a stored connection's tokens were issued to: the one stored at connect, else (an older
     * connection) the configured one. The configured secret goes only with the configured client's id and only to
     * the configured authorization server: a connection's stored fields cannot send it anywhere else.
     */
    private void clientOf(Connection connection, OAuthProfile profile, Map<String, String> form) {
        String stored = connection.credential().values().get("client_id");
        String clientId = stored != null && !stored.isBlank() ? stored : client.clientId();
        form.put("client_id", clientId == null ? "" : clientId);
        if (client.clientSecret() != null && clientId != null && clientId.equals(client.clientId())
                && issuer(connection, profile).equals(base(profile))) {
            form.put("client_secret", client.clientSecret());  // client_secret_post
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
