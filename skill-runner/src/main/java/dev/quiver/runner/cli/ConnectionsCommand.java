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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "connections",
        description = "The connection store in the home folder: secrets encrypted at rest (AES-256-GCM, key from"
                + " $QUIVER_MASTER_KEY or the home's master.key) and never shown again.",
        subcommands = {ConnectionsCommand.Add.class, ConnectionsCommand.ListStored.class,
                ConnectionsCommand.Get.class, ConnectionsCommand.Test.class, ConnectionsCommand.Remove.class})
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

    @Command(name = "remove", description = "Removes a stored connection.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        ConnectionsCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            if (!root.runtime(RecordsOpening.ON_FIRST_USE).connections().remove(id)) {
                return root.fail(Failure.of(ErrorCode.UNKNOWN_CONNECTION, "no stored connection '" + id + "'",
                        "List the stored ones with 'connections list'."));
            }
            root.printJson(Json.MAPPER.createObjectNode().put("removed", id));
            return ExitCodes.OK;
        }
    }
}
