package dev.quiver.runner.cli;

import dev.quiver.runner.runtime.QuiverRuntime.RecordsOpening;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.access.Caller;
import dev.quiver.runner.connection.ConnectionReader;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.check.ConnectionCheck;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.failure.Failure.FailureException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import dev.quiver.runner.oauth.LoopbackCallback;
import dev.quiver.runner.oauth.OAuthFlow;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

@Command(name = "connections",
        description = "The connection store in the home folder: secrets encrypted at rest (AES-256-GCM, key from"
                + " $QUIVER_MASTER_KEY or the home's master.key) and never shown again.",
        subcommands = {ConnectionsCommand.Add.class, ConnectionsCommand.ListStored.class,
                ConnectionsCommand.Get.class, ConnectionsCommand.Test.class, ConnectionsCommand.Remove.class,
                ConnectionsCommand.Connect.class})
final class ConnectionsCommand {

    @ParentCommand
    QuiverRoot root;

    @Command(name = "add", description = "Stores the connection in FILE; $${env:…} and $${file:…} secrets are read now."
            + " Prints its summary (no secret).")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "FILE", description = "A connection JSON file.")
        Path file;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            if (!Files.isRegularFile(file)) {
                root.err().println("quiver: no such file: " + file);
                return ExitCodes.USAGE;
            }
            try {
                root.printJson(root.runtime(RecordsOpening.ON_FIRST_USE).connections().add(file));
                return ExitCodes.OK;
            } catch (FailureException e) {
                return root.fail(e.failure());
            }
        }
    }

    @Command(name = "list", description = "Lists the stored connections: id, type, auth method, the type's settings"
            + " that are single values, and the credential's fingerprint. Never a secret.")
    static final class ListStored implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            ArrayNode all = Json.MAPPER.createArrayNode();
            root.runtime(RecordsOpening.ON_FIRST_USE).connections().list().forEach(all::add);
            if (json) {
                root.printJson(all);
                return ExitCodes.OK;
            }
            if (all.isEmpty()) {
                root.out().println("No stored connections. Add one with: connections add FILE");
            }
            for (JsonNode connection : all) {
                root.out().println(String.format("%-24s %-11s %-15s %s fingerprint %s",
                        connection.path("id").asText(), connection.path("type").asText(),
                        connection.at("/auth/method").asText(), settings(connection),
                        connection.path("fingerprint").asText()));
            }
            return ExitCodes.OK;
        }
    }

    /** The settings a line has room for: those that are one value ({@code name value  }), in the file's order. */
    private static String settings(JsonNode connection) {
        StringBuilder line = new StringBuilder();
        connection.fields().forEachRemaining(field -> {
            if (!ConnectionReader.COMMON_FIELDS.contains(field.getKey()) && field.getValue().isValueNode()
                    && !field.getKey().equals("fingerprint") && !field.getKey().equals("added_at")) {
                line.append(field.getKey()).append(' ').append(field.getValue().asText()).append("  ");
            }
        });
        return line.toString();
    }

    @Command(name = "get", description = "Prints one stored connection's summary: no secret, its fingerprint.")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            return root.runtime(RecordsOpening.ON_FIRST_USE).connections().summary(id).map(summary -> {
                root.printJson(summary);
                return ExitCodes.OK;
            }).orElseGet(() -> root.fail(Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection '" + id
                    + "'", "List the stored ones with 'connections list'.")));
        }
    }

    @Command(name = "test", description = {"Runs the connection type's verify skill on a stored connection, then"
            + " tells for every installed skill of that type whether the connection can run it and, when not,"
            + " which permission is missing.",
            "Exit code 0 when the credential verified, 4 when it did not, 2 for an unknown connection."})
    static final class Test implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "ID", description = "A stored connection's id (or a connection file's path).")
        String id;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            try {
                var runtime = root.runtime();
                var report = ConnectionCheck.run(runtime.pipeline(), runtime.catalog(), runtime.connection(id),
                        Caller.OPERATOR, "cli");
                root.printJson(report);
                return report.path("verified").asBoolean() ? ExitCodes.OK : ExitCodes.AUTHENTICATION_FAILED;
            } catch (FailureException e) {
                return root.fail(e.failure());
            }
        }
    }

    @Command(name = "connect", description = {"Connects (or reconnects) connection ID by OAuth 2.0 at the terminal:"
            + " prints the vendor's consent URL on stderr, listens for its answer on"
            + " http://127.0.0.1:<random port>/callback, stores the connection (tokens sealed, permissions those of"
            + " the scopes approved; an existing ID is replaced in one step, its records kept), then prints the"
            + " capability matrix of 'connections test' as JSON on stdout.",
            "The scopes requested are the fewest covering the required permissions of the --skills (default: every"
                    + " installed skill of the type). The OAuth client is $QUIVER_OAUTH_CLIENT_ID (and"
                    + " $QUIVER_OAUTH_CLIENT_SECRET for a confidential one); $QUIVER_OAUTH_BASE_URL points at another"
                    + " authorization server (a sandbox's http://127.0.0.1:PORT, client quiver-sandbox-client; then"
                    + " pass --base-url with the sandbox's API URL). The client must accept loopback redirect URIs on"
                    + " any port. The settings given are checked against the type's schema before the URL is"
                    + " printed.",
            "A browser is opened only when one is clearly available (xdg-open with $DISPLAY or $WAYLAND_DISPLAY"
                    + " set, or macOS's open) and --no-browser is not given. Nothing is stored when consent is"
                    + " denied, the wait times out or the command is interrupted (Ctrl-C).",
            "Exit code 0 when connected and the credential verified, 4 when it did not verify, 2 when nothing was"
                    + " connected."})
    static final class Connect implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "ID", description = "The connection's id (a new one, or a stored one to reconnect).")
        String id;

        @Option(names = "--type", required = true, paramLabel = "TYPE", description = "The connection type's id"
                + " (the 'type' of its connection files).")
        String type;

        @Option(names = "--skills", split = ",", paramLabel = "SKILL", description = "The skills the"
                + " connection is for (default: every installed skill of the type).")
        List<String> skills;

        // The runner names no vendor's settings (VendorNeutralityTest): they are passed by the names of the type's
        // settings schema, as in a connection file, and checked against it before the URL is printed.
        @Option(names = {"-s", "--setting"}, paramLabel = "NAME=VALUE", description = "A setting of the"
                + " connection, named as in its connection file (the type's settings schema; its plugin's README"
                + " lists them). Repeatable. A VALUE starting with [ or { is read as JSON.")
        Map<String, String> settings = new LinkedHashMap<>();

        @Option(names = "--base-url", paramLabel = "URL", description = "The vendor API's base URL (default: the"
                + " type's; a sandbox's API URL, as its 'sandbox' line prints it).")
        String baseUrl;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "How long to wait"
                + " for the consent page's answer (default: ${DEFAULT-VALUE}, the connect link's 10 minutes).")
        int timeout;

        @Option(names = "--no-browser", description = "Do not open a browser, only print the URL.")
        boolean noBrowser;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            if (timeout < 1 || timeout > 600) {
                return root.refuse("--timeout must be from 1 to 600 seconds", "The connect link lives 10 minutes.");
            }
            var request = Json.MAPPER.createObjectNode().put("type", type);
            if (skills != null) {
                skills.forEach(request.putArray("skills")::add);
            }
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                String name = setting.getKey();
                if (name.isBlank() || List.of("type", "id", "skills", "auth", "permissions", "base_url").contains(name)) {
                    return root.refuse("--setting " + name + " is not a setting: pass the type with --type and"
                            + " the base URL with --base-url", null);
                }
                String value = setting.getValue();
                if (value.startsWith("[") || value.startsWith("{")) {
                    try {
                        request.set(name, Json.MAPPER.readTree(value));
                    } catch (java.io.IOException e) {
                        return root.refuse("--setting " + name + " is not valid JSON", null);
                    }
                } else {
                    request.put(name, value);
                }
            }
            if (baseUrl != null) {
                request.put("base_url", baseUrl);
            }
            var runtime = root.runtime();
            OAuthFlow flow = runtime.oauth();
            try (LoopbackCallback callback = LoopbackCallback.listen()) {
                OAuthFlow.Started started = flow.startWith(id, request, Caller.OPERATOR.id(), callback.redirectUri());
                callback.expect(flow, started.state());
                root.err().println("quiver: to connect '" + id + "' (scopes " + String.join(" ", started.scopes())
                        + "), open this URL in a browser and approve; waiting up to " + timeout + " s for the answer"
                        + " on " + callback.redirectUri() + " (Ctrl-C to give up):");
                root.err().println(started.authorizeUrl());
                root.err().flush();
                if (!noBrowser) {
                    Browsers.open(started.authorizeUrl(), root.environment());
                }
                OAuthFlow.Connected connected = callback.await(Duration.ofSeconds(timeout));
                root.err().println("quiver: connected '" + id + "': granted " + String.join(" ",
                        connected.grantedScopes()) + (connected.declinedSkills().isEmpty() ? ""
                        : "; not ready: " + connected.declinedSkills().entrySet().stream().map(e -> e.getKey()
                        + " (reconnect and approve " + String.join(", ", e.getValue()) + ")").toList()));
                var report = ConnectionCheck.run(runtime.pipeline(), runtime.catalog(), runtime.connection(id),
                        Caller.OPERATOR, "cli");
                root.printJson(report);
                return report.path("verified").asBoolean() ? ExitCodes.OK : ExitCodes.AUTHENTICATION_FAILED;
            } catch (OAuthFlow.OAuthException e) {
                return root.refuse(e.getMessage(), null);
            } catch (TimeoutException e) {
                return root.refuse("no answer from the consent page within " + timeout + " s: connection '" + id
                        + "' was not changed", "Run the command again and approve within the time.");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                root.err().println("quiver: interrupted: connection '" + id + "' was not changed");
                return ExitCodes.USAGE;
            } catch (java.io.IOException e) {
                return root.refuse("cannot listen on 127.0.0.1 for the consent page's answer: " + e.getMessage(),
                        null);
            } catch (FailureException e) {
                return root.fail(e.failure());
            }
        }
    }

    @Command(name = "remove", description = {"Removes a stored connection. An OAuth connection's grant is revoked at"
            + " the vendor first (its refresh and access tokens); when that fails the connection is removed all the"
            + " same, and a warning on stderr (and in the JSON's \"warning\") says to revoke it at the vendor."})
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            // an OAuth connection's grant is revoked at the vendor first; the secret is deleted even when that fails
            var removed = root.runtime(RecordsOpening.ON_FIRST_USE).oauth().remove(id);
            if (!removed.removed()) {
                return root.fail(Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection '" + id + "'",
                        "List the stored ones with 'connections list'."));
            }
            var answer = Json.MAPPER.createObjectNode().put("removed", id);
            if (removed.warning() != null) {
                answer.put("warning", removed.warning());
                root.err().println("quiver: warning: connection '" + id + "' removed, but " + removed.warning());
            }
            root.printJson(answer);
            return ExitCodes.OK;
        }
    }
}
