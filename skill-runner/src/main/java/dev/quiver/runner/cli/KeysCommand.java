package dev.quiver.runner.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.runner.access.ApiKey;
import dev.quiver.runner.access.ApiKeyStore;
import dev.quiver.runner.access.Role;
import dev.quiver.runner.internal.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "keys",
        description = "API keys for the HTTP service. Roles: viewer (catalogue, records) < analyst (+ read skills)"
                + " < responder (+ write skills) < admin (+ connections, plugins). Only a key's SHA-256 is kept.",
        subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {

    @ParentCommand
    QuiverCommand root;

    @Command(name = "create", description = "Creates a key and prints {\"id\", \"role\", \"key\"}: the key is shown"
            + " this once.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "viewer, analyst, responder or admin.")
        String role;

        @Override
        public Integer call() {
            QuiverCommand root = parent.root;
            Role parsed = Role.parse(role).orElse(null);
            if (parsed == null) {
                return root.refuse("unknown role '" + role + "'", "Use viewer, analyst, responder or admin.");
            }
            ApiKeyStore.CreatedKey created = root.keys().create(parsed);
            root.printJson(Json.MAPPER.createObjectNode().put("id", created.apiKey().id())
                    .put("role", parsed.jsonName()).put("key", created.key()));
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", description = "Lists the keys: id, role, created, revoked. Never a key.")
    static final class ListKeys implements Callable<Integer> {
        @ParentCommand
        KeysCommand parent;

        @Override
        public Integer call() {
            ArrayNode keys = Json.MAPPER.createArrayNode();
            for (ApiKey key : parent.root.keys().keys()) {
                ObjectNode node = keys.addObject();
                node.put("id", key.id());
                node.put("role", key.role().jsonName());
                node.put("created_at", key.createdAt().toString());
                if (key.revokedAt() != null) {
                    node.put("revoked_at", key.revokedAt().toString());
                }
                node.put("active", key.active());
            }
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
            QuiverCommand root = parent.root;
            if (!root.keys().revoke(id)) {
                return root.refuse("no active key has the id '" + id + "'", "'keys list' shows the keys.");
            }
            root.printJson(Json.MAPPER.createObjectNode().put("revoked", id));
            return ExitCodes.OK;
        }
    }
}
