package dev.quiver.runner.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.connection.Connection;
import dev.quiver.runner.connection.Credential;
import dev.quiver.runner.connection.ConnectionReader;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import dev.quiver.runner.files.AtomicFiles;
import dev.quiver.runner.files.FileLocks;

/**
 * Connections kept in the home folder, one file each ({@code connections/<id>.json}), their secrets sealed with
 * AES-256-GCM under the {@link MasterKey} and bound to the connection id. Secrets are write-only: nothing here
 * returns them except {@link #find}, which the pipeline uses to call the vendor. Writes are atomic.
 */
public final class ConnectionStore {

    private static final String SUFFIX = ".json";

    private final Path dir;
    private final Supplier<MasterKey> key;
    private final ConnectionReader reader;
    private final FileCache<Connection> opened = new FileCache<>();
    private final KeyCheck keyCheck;
    /** The master key once proven to be the store's (by the key check, or by opening a stored secret). */
    private volatile MasterKey proven;

    /** @param key supplies the master key when a secret is first sealed or opened (created lazily) */
    public ConnectionStore(Path dir, Supplier<MasterKey> key, ConnectionReader reader) {
        this.dir = dir;
        this.key = key;
        this.reader = reader;
        this.keyCheck = new KeyCheck(dir);
    }

    /**
     * Adds the connection in {@code file}, its secret references resolved now, and returns its summary.
     *
     * @throws FailureException UNKNOWN_CONNECTION when the file is not a valid connection; INVALID_INPUT when a
     *                          connection with its id is already stored (nothing is changed)
     */
    public ObjectNode add(Path file) throws FailureException {
        JsonNode raw = reader.readJson(file);
        return add(raw, reader.read(raw, "connection file " + file));
    }

    /**
     * Adds a connection sent by a remote caller (its secrets must be values, not references), as
     * {@link #add(Path)} does.
     */
    public ObjectNode addRemote(JsonNode raw, String source) throws FailureException {
        return add(raw, reader.readRemote(raw, source));
    }

    /**
     * Checks a connection sent by a remote caller as {@link #addRemote} would, storing nothing: the settings of an
     * OAuth connect are checked before the user is sent to approve, not after its code was spent.
     *
     * @throws FailureException INVALID_CONNECTION naming the fields, as {@link #addRemote} does
     */
    public void check(JsonNode raw, String source) throws FailureException {
        reader.readRemote(raw, source);
    }

    // Of two concurrent adds with one id, exactly one succeeds; the other changes nothing.
    private ObjectNode add(JsonNode raw, Connection connection) throws FailureException {
        Path target = path(connection.id());
        if (Files.exists(target)) {
            throw alreadyStored(connection.id()).raise();
        }
        ObjectNode summary = summaryOf(raw, connection);
        try {
            ObjectNode stored = sealed(summary, connection);
            Files.createDirectories(dir);
            AtomicFiles.ownerOnly(dir);
            if (!AtomicFiles.writeNew(target, Json.MAPPER.writeValueAsBytes(stored))) {
                throw alreadyStored(connection.id()).raise();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the connection store in " + dir, e);
        }
        return summary;
    }

    private static ObjectNode summaryOf(JsonNode raw, Connection connection) {
        ObjectNode summary = raw.deepCopy();
        summary.set("auth", Json.MAPPER.createObjectNode().put("method", connection.credential().method()));
        summary.put("fingerprint", connection.credential().fingerprint());
        summary.put("added_at", Instant.now().toString());
        return summary;
    }

    /** The file's content: the summary, and the credential sealed under the master key and bound to the id. */
    private ObjectNode sealed(ObjectNode summary, Connection connection) throws FailureException, IOException {
        ObjectNode stored = Json.MAPPER.createObjectNode();
        stored.put("format", 1);
        stored.set("connection", summary);
        MasterKey.Sealed sealed = keyForSealing().seal(
                Json.MAPPER.writeValueAsBytes(connection.credential().values()), connection.id());
        stored.putObject("secrets").put("alg", "AES-256-GCM")
                .put("nonce", Base64.getEncoder().encodeToString(sealed.nonce()))
                .put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
        return stored;
    }

    /**
     * When the stored connection's current credential was issued: its last refresh, else when it was stored; for
     * telling a token's lifetime. {@code null} when unknown.
     */
    public Instant credentialIssuedAt(String id) {
        Optional<JsonNode> summary = summary(id);
        String at = summary.map(s -> s.path("refreshed_at").asText(s.path("added_at").asText(null))).orElse(null);
        try {
            return at == null ? null : Instant.parse(at);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static Failure alreadyStored(String id) {
        return new Failure(ErrorCode.INVALID_INPUT, "a connection '" + id + "' is already stored",
                List.of(Map.of("pointer", "/id", "conflict", id)),
                "Remove it first (connections remove " + id + "), or give the new one another id.", List.of());
    }

    /** Whether {@code failure} is an add refused for the store's state: the id is taken, or another master key. */
    public static boolean isConflict(Failure failure) {
        return failure.details().stream().anyMatch(d -> d.containsKey("conflict"));
    }

    /** The summary (no secret) of the stored connection with this id. */
    public Optional<JsonNode> summary(String id) {
        return contains(id) ? Optional.of(readStored(path(id)).path("connection")) : Optional.empty();
    }

    /** The stored connections' summaries (no secrets), by id. */
    public List<JsonNode> list() {
        List<JsonNode> summaries = new ArrayList<>();
        for (Path file : files()) {
            summaries.add(readStored(file).path("connection"));
        }
        return summaries;
    }

    /** Whether a connection with this id is stored. */
    public boolean contains(String id) {
        return validId(id) && Files.isRegularFile(path(id));
    }

    /**
     * The stored connection with its secrets opened, for a call to the vendor.
     *
     * @throws FailureException UNKNOWN_CONNECTION when the secrets cannot be opened (another master key, or the
     *                          file was altered)
     */
    public Optional<Connection> find(String id) throws FailureException {
        // Opening costs a read, a decryption and a validation, about 0.1 ms: not on every execution.
        return validId(id) ? opened.get(path(id), file -> open(id)) : Optional.empty();
    }

    private Connection open(String id) throws FailureException {
        JsonNode stored = readStored(path(id));
        MasterKey key = keyForOpening();
        byte[] secrets;
        try {
            secrets = openSecrets(key, stored, id);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw Failure.of(ErrorCode.STORE_LOCKED, "the secrets of stored connection '" + id
                    + "' cannot be opened: the master key is not the one they were sealed with, or the file was"
                    + " altered", "Use the QUIVER_MASTER_KEY (or master.key) the connection was added with, or"
                    + " remove and add the connection again.").raise();
        }
        if (key != proven) {
            // A store written before the key check existed gets one now, under the key that just opened a secret.
            if (!createCheck(key)) {
                Arrays.fill(secrets, (byte) 0);
                throw wrongKey().raise();
            }
            proven = key;
        }
        ObjectNode json = stored.path("connection").deepCopy();
        ObjectNode auth = (ObjectNode) json.get("auth");
        try {
            Map<?, ?> values = Json.MAPPER.readValue(secrets, Map.class);
            values.forEach((name, value) -> auth.put((String) name, (String) value));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Arrays.fill(secrets, (byte) 0);
        }
        json.remove("fingerprint");
        json.remove("added_at");
        json.remove("status");
        json.remove("refreshed_at");
        return reader.readResolved(json, "stored connection '" + id + "'");
    }

    /**
     * Replaces the secrets of a stored connection (an OAuth refresh's rotated tokens), atomically: a reader sees the
     * old file or the new one, never a mix, and a crash leaves the old one. Clears a {@code needs_reconnect} status.
     */
    public void replaceSecrets(String id, Map<String, String> values) throws FailureException {
        rewrite(id, values, null);
    }

    /** Marks a stored connection {@code needs_reconnect} (its grant is gone), shown by {@link #list()}. */
    public void markNeedsReconnect(String id) throws FailureException {
        rewrite(id, null, "needs_reconnect");
    }

    /** The stored connection's status, {@code null} when it has none (usable). */
    public String status(String id) {
        return contains(id) ? readStored(path(id)).at("/connection/status").asText(null) : null;
    }

    private void rewrite(String id, Map<String, String> values, String status) throws FailureException {
        ObjectNode stored = (ObjectNode) readStored(path(id));
        ObjectNode summary = (ObjectNode) stored.get("connection");
        try {
            if (values != null) {
                Credential credential = new Credential(summary.at("/auth/method").asText(), values);
                MasterKey.Sealed sealed = keyForSealing().seal(Json.MAPPER.writeValueAsBytes(values), id);
                stored.putObject("secrets").put("alg", "AES-256-GCM")
                        .put("nonce", Base64.getEncoder().encodeToString(sealed.nonce()))
                        .put("ciphertext", Base64.getEncoder().encodeToString(sealed.ciphertext()));
                summary.put("fingerprint", credential.fingerprint());
                summary.put("refreshed_at", Instant.now().toString());
            }
            if (status == null) {
                summary.remove("status");
            } else {
                summary.put("status", status);
            }
            AtomicFiles.write(path(id), Json.MAPPER.writeValueAsBytes(stored));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the connection store in " + dir, e);
        }
    }

    /** Work done holding a connection's refresh lock. */
    @FunctionalInterface
    public interface Locked<T> {
        T run() throws FailureException;
    }

    /**
     * Runs {@code work} holding the refresh lock of connection {@code id}: one refresh per connection at a time
     * across the threads of this process and every other process using this home (an OS file lock on
     * {@code connections/.<id>.lock}; a CLI run beside {@code serve} takes the same lock). Whoever waited finds
     * the winner's tokens stored and uses them instead of spending a refresh token the winner already rotated.
     */
    public <T> T underRefreshLock(String id, Locked<T> work) throws FailureException {
        if (!validId(id)) {
            throw new IllegalArgumentException("not a connection id");
        }
        try {
            Files.createDirectories(dir);
            return FileLocks.withLock(dir.resolve("." + id + ".lock"), () -> {
                try {
                    return work.run();
                } catch (FailureException e) {
                    throw new Refused(e);
                }
            });
        } catch (Refused e) {
            throw e.failure;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock connection '" + id + "' in " + dir, e);
        }
    }

    /** Carries a {@link FailureException} out of the file lock's work, which may throw only I/O errors. */
    private static final class Refused extends RuntimeException {
        private final FailureException failure;

        Refused(FailureException failure) {
            super(null, null, false, false);
            this.failure = failure;
        }
    }

    /**
     * Stores the connection a remote caller sent in place of the stored one with its id (a reconnect), in one
     * atomic rename: a reader finds the old connection or the new one, never none; a crash leaves the old one.
     * Adds it when none is stored.
     *
     * @throws FailureException as {@link #addRemote} does, the stored connection unchanged
     */
    public ObjectNode replaceRemote(JsonNode raw, String source) throws FailureException {
        Connection connection = reader.readRemote(raw, source);
        if (!contains(connection.id())) {
            return add(raw, connection);
        }
        ObjectNode summary = summaryOf(raw, connection);
        try {
            AtomicFiles.write(path(connection.id()), Json.MAPPER.writeValueAsBytes(sealed(summary, connection)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the connection store in " + dir, e);
        }
        return summary;
    }

    /** Removes a stored connection; false when there was none. */
    public boolean remove(String id) {
        if (!contains(id)) {
            return false;
        }
        try {
            return Files.deleteIfExists(path(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path(id), e);
        }
    }

    private static byte[] openSecrets(MasterKey key, JsonNode stored, String id) throws GeneralSecurityException {
        return key.open(new MasterKey.Sealed(
                Base64.getDecoder().decode(stored.at("/secrets/nonce").asText()),
                Base64.getDecoder().decode(stored.at("/secrets/ciphertext").asText())), id);
    }

    /**
     * The master key, proven to be the one the store's secrets are sealed with before anything is sealed under it:
     * by the key check, or (a store from before the check) by opening a stored secret, after which the check is
     * written. An empty store takes the key it is first given.
     */
    private MasterKey keyForSealing() throws FailureException {
        MasterKey key = masterKey();
        if (key == proven) {
            return key;
        }
        try {
            Optional<Boolean> opens = keyCheck.opens(key);
            if (opens.isPresent() ? !opens.get() : !opensAStoredSecret(key) || !keyCheck.create(key)) {
                throw wrongKey().raise();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the key check in " + dir, e);
        }
        proven = key;
        return key;
    }

    /** The master key, refused early when the key check says it is another one than the store's. */
    private MasterKey keyForOpening() throws FailureException {
        MasterKey key = masterKey();
        if (key == proven) {
            return key;
        }
        try {
            Optional<Boolean> opens = keyCheck.opens(key);
            if (opens.isPresent() && !opens.get()) {
                throw wrongKey().raise();
            }
            if (opens.isPresent()) {
                proven = key;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the key check in " + dir, e);
        }
        return key;
    }

    private boolean createCheck(MasterKey key) {
        try {
            return keyCheck.create(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the key check in " + dir, e);
        }
    }

    /** Whether the store is empty, or {@code key} opens one of its secrets. */
    private boolean opensAStoredSecret(MasterKey key) {
        List<Path> stored = files();
        for (Path file : stored) {
            String name = file.getFileName().toString();
            try {
                Arrays.fill(openSecrets(key, readStored(file), name.substring(0, name.length() - SUFFIX.length())),
                        (byte) 0);
                return true;
            } catch (GeneralSecurityException | IllegalArgumentException anotherKeyOrAltered) {
                // try the next one
            }
        }
        return stored.isEmpty();
    }

    private Failure wrongKey() {
        // The "conflict" detail makes the HTTP add a 409: the request is fine, the store's state conflicts with it.
        return new Failure(ErrorCode.STORE_LOCKED, "the master key in use is not the one the connection store in "
                + dir + " is sealed with (its key check " + KeyCheck.FILE + ", or in an older store its secrets, do"
                + " not open under it); nothing was added or opened, so that the store is not left sealed under two"
                + " keys", List.of(Map.of("conflict", "master_key")),
                "Set " + MasterKey.ENV + " to the store's original key (or restore the home's " + MasterKey.FILE
                        + " if the key came from there). If that key is lost, its secrets are too: remove the stored"
                        + " connections and " + dir.resolve(KeyCheck.FILE) + ", then add the connections again.",
                List.of());
    }

    private MasterKey masterKey() throws FailureException {
        try {
            return key.get();
        } catch (IllegalArgumentException e) {
            throw Failure.of(ErrorCode.STORE_LOCKED, "the connection store's master key is unusable: "
                    + e.getMessage(), "Set QUIVER_MASTER_KEY to the key the store was made with.").raise();
        }
    }

    private Path path(String id) {
        return dir.resolve(id + SUFFIX);
    }

    private static boolean validId(String id) {
        return id != null && id.matches("[a-z0-9][a-z0-9_.-]{0,63}");
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)
                    && !f.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static JsonNode readStored(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
