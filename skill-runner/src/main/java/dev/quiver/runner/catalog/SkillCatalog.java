package dev.quiver.runner.catalog;

import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.plugins.PluginHost.Contribution;
import dev.quiver.runner.schema.CompiledSchema;
import dev.quiver.runner.schema.JsonSchemas;
import dev.quiver.runner.schema.JsonSchemas.InvalidSchemaException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The skills the runner can run, each checked once when the catalogue is built: a well-formed descriptor, a unique
 * id, schemas that compile, a known connection type, and permission rules in that type's vocabulary. What fails a
 * check is kept as a {@link Rejection} with its reason. Immutable and thread-safe.
 */
public final class SkillCatalog {

    private static final Pattern SKILL_ID = Pattern.compile("^[a-z][a-z0-9_]{2,63}$");

    private final Map<String, CatalogEntry> entries;
    private final Map<String, ConnectionType> connectionTypes;
    private final List<Rejection> rejections;

    private SkillCatalog(Map<String, CatalogEntry> entries, Map<String, ConnectionType> connectionTypes,
                         List<Rejection> rejections) {
        this.entries = Map.copyOf(entries);
        this.connectionTypes = Map.copyOf(connectionTypes);
        this.rejections = List.copyOf(rejections);
    }

    /** Builds the catalogue from what the plugins contribute; on a duplicate id the first plugin's skill stays. */
    public static SkillCatalog build(List<Contribution> contributions, JsonSchemas schemas) {
        List<Rejection> rejections = new ArrayList<>();
        Map<String, ConnectionType> types = new LinkedHashMap<>();
        Map<String, String> typeOwners = new LinkedHashMap<>();
        for (Contribution contribution : contributions) {
            contribution.failures().forEach((extension, reason) ->
                    rejections.add(new Rejection(contribution.pluginId(), extension, "cannot be created: " + reason)));
            for (ConnectionType type : contribution.connectionTypes()) {
                String owner = typeOwners.putIfAbsent(type.id(), contribution.pluginId());
                if (owner == null) {
                    types.put(type.id(), type);
                } else {
                    rejections.add(new Rejection(contribution.pluginId(), "connection type " + type.id(),
                            "duplicate: plugin " + owner + " already provides connection type " + type.id()));
                }
            }
        }

        Map<String, CatalogEntry> entries = new LinkedHashMap<>();
        for (Contribution contribution : contributions) {
            for (Skill skill : contribution.skills()) {
                SkillDescriptor descriptor;
                try {
                    descriptor = skill.descriptor();
                } catch (RuntimeException | LinkageError e) {
                    rejections.add(new Rejection(contribution.pluginId(), skill.getClass().getName(),
                            "descriptor() failed: " + e));
                    continue;
                }
                String what = descriptor == null || descriptor.id() == null ? skill.getClass().getName() : descriptor.id();
                CatalogEntry existing = descriptor == null ? null : entries.get(descriptor.id());
                if (existing != null) {
                    rejections.add(new Rejection(contribution.pluginId(), what,
                            "duplicate skill id: plugin " + existing.pluginId() + " already provides " + what));
                    continue;
                }
                try {
                    CatalogEntry entry = admit(skill, descriptor, contribution, types, schemas);
                    entries.put(entry.id(), entry);
                } catch (Refused refused) {
                    rejections.add(new Rejection(contribution.pluginId(), what, refused.getMessage()));
                }
            }
        }
        return new SkillCatalog(entries, types, rejections);
    }

    private static CatalogEntry admit(Skill skill, SkillDescriptor d, Contribution contribution,
                                      Map<String, ConnectionType> types, JsonSchemas schemas) throws Refused {
        if (d == null) {
            throw new Refused("descriptor() returned null");
        }
        if (!SKILL_ID.matcher(d.id()).matches()) {
            throw new Refused("skill id must match " + SKILL_ID.pattern());
        }
        if (blank(d.title()) || blank(d.description()) || blank(d.version())) {
            throw new Refused("title, description and version are required");
        }
        ConnectionType type = types.get(d.connectionType());
        if (type == null) {
            throw new Refused("unknown connection type '" + d.connectionType() + "': no plugin provides it");
        }
        CompiledSchema input = compile(schemas, d.inputSchema(), "input");
        CompiledSchema output = compile(schemas, d.outputSchema(), "output");
        if (!"object".equals(d.inputSchema().path("type").asText())) {
            throw new Refused("input schema must have type object");
        }
        PermissionVocabulary vocabulary = PermissionVocabulary.of(type);
        for (PermissionRule rule : d.permissions()) {
            checkRule(rule, vocabulary, type.id());
        }
        return new CatalogEntry(skill, d, contribution.pluginId(), contribution.pluginVersion(), input, output, type,
                vocabulary, contribution.inFlight());
    }

    private static void checkRule(PermissionRule rule, PermissionVocabulary vocabulary, String type) throws Refused {
        if (rule.anyOf().isEmpty()) {
            throw new Refused("malformed permission rule: anyOf is empty");
        }
        for (String name : rule.anyOf()) {
            Optional<PermissionGroup> group = vocabulary.group(name);
            if (group.isEmpty() || !vocabulary.isCanonical(name)) {
                throw new Refused("malformed permission rule: '" + name + "' is not a permission group of "
                        + type + (group.isPresent() ? " (write '" + group.get().name() + "')" : ""));
            }
            if (group.get().scope() != rule.scope()) {
                throw new Refused("malformed permission rule: '" + name + "' is granted on a "
                        + group.get().scope().jsonName() + ", not a " + rule.scope().jsonName());
            }
        }
    }

    private static CompiledSchema compile(JsonSchemas schemas, com.fasterxml.jackson.databind.JsonNode schema,
                                          String which) throws Refused {
        try {
            return schemas.compile(schema);
        } catch (InvalidSchemaException e) {
            throw new Refused(which + " schema does not compile: " + e.violations().get(0).message());
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    /** The skill with this id. */
    public Optional<CatalogEntry> find(String skillId) {
        return Optional.ofNullable(entries.get(skillId));
    }

    /** Every admitted skill, sorted by id. */
    public List<CatalogEntry> entries() {
        return entries.values().stream().sorted(java.util.Comparator.comparing(CatalogEntry::id)).toList();
    }

    /** The connection type with this id. */
    public Optional<ConnectionType> connectionType(String id) {
        return Optional.ofNullable(connectionTypes.get(id));
    }

    public Collection<ConnectionType> connectionTypes() {
        return connectionTypes.values();
    }

    /** What was refused, with reasons. */
    public List<Rejection> rejections() {
        return rejections;
    }

    private static final class Refused extends Exception {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
