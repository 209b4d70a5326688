package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.quiver.runner.access.ConnectionScope;
import dev.quiver.runner.access.KeyExpiry;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.view.ContractJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "keys",
        description = "API keys for the HTTP service. Roles: viewer (catalogue, records) < analyst (+ read skills)"
                + " < responder (+ write skills) < admin (+ connections, plugins, keys). A key may be limited to some"
                + " connections and may expire. Only a key's SHA-256 is kept.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @ParentCommand
    QuiverRoot root;

    @Command(name = "create", description = "Creates a key and prints {\"id\", \"role\", \"key\"}: the key is shown"
            + " this once.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer, analyst, responder or admin.")
        String role;

        @Option(names = "--connections", split = ",", paramLabel = "ID|GLOB",
                description = "Limit the key to these connections (ids, or globs such as acme-*): it can neither use"
                        + " nor see records of any other. Default: every connection.")
        List<String> connections;

        @Option(names = "--expires", paramLabel = "WHEN",
                description = "When the key stops working: 30d, 12h, 90m, or an RFC 3339 time. Default: never.")
        String expires;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            Role parsed = Role.parse(role).orElse(null);
            if (parsed == null) {
                return root.refuse("unknown role '" + role + "'", "Use viewer, analyst, responder or admin.");
            }
            ConnectionScope scope;
            Instant expiresAt;
            try {
                scope = connections == null ? ConnectionScope.all() : ConnectionScope.of(connections);
                expiresAt = expires == null ? null : KeyExpiry.parse(expires, Instant.now());
            } catch (IllegalArgumentException e) {
                return root.refuse(e.getMessage(), "Connection patterns look like acme-prod or acme-*; an expiry like"
                        + " 30d or 2027-01-31T00:00:00Z.");
            }
            root.printJson(ContractJson.createdKey(root.keys().create(parsed, scope, expiresAt)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Lists the keys: id, role, connections, created, expires, revoked. Never a"
            + " key.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Option(names = "--json", description = "Print JSON: the default and only format (accepted as 'skills' and"
                + " 'plugins' accept it).")
        boolean json;

        @Override
        public Integer call() {
            ArrayNode keys = Json.MAPPER.createArrayNode();
            parent.root.keys().keys().forEach(key -> keys.add(ContractJson.key(key)));
            parent.root.printJson(keys);
            return ExitCodes.OK;
        }
    }

    @Command(name = "revoke", description = "Revokes a key; a running service refuses it from its next request.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() {
            QuiverRoot root = parent.root;
            if (!root.keys().revoke(id)) {
                return root.refuse("no active key has the id '" + id + "'", "'keys list' shows the keys.");
            }
            root.printJson(Json.MAPPER.createObjectNode().put("revoked", id));
            return ExitCodes.OK;
        }
    }
}
