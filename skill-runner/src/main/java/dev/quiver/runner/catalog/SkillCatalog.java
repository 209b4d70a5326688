package dev.quiver.runner.catalog;

import dev.quiver.gate.PermissionVocabulary;
import dev.quiver.api.AuthMethod;
import dev.quiver.api.ConnectionType;
import dev.quiver.api.PermissionGroup;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.ResourceKind;
import dev.quiver.api.Skill;
import dev.quiver.api.SkillDescriptor;
import dev.quiver.runner.connection.ConnectionTypes;
import dev.quiver.runner.plugins.Contribution;
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

    private static final Pattern TEMPLATE_FIELD = Pattern.compile("\\{([a-z0-9_]+)}");
    private static final Pattern SKILL_ID = Pattern.compile("^[a-z][a-z0-9_]{2,63}$");

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,63}$");

    private final Map<String, CatalogEntry> entries;
    private final Map<String, ConnectionType> connectionTypes;
    private final Map<String, ConnectionTypes.Known> knownTypes;
    private final List<Rejection> rejections;

    private SkillCatalog(Map<String, CatalogEntry> entries, Map<String, ConnectionTypes.Known> knownTypes,
                         List<Rejection> rejections) {
        this.entries = Map.copyOf(entries);
        this.knownTypes = Map.copyOf(knownTypes);
        Map<String, ConnectionType> types = new LinkedHashMap<>();
        knownTypes.forEach((id, known) -> types.put(id, known.type()));
        this.connectionTypes = Map.copyOf(types);
        this.rejections = List.copyOf(rejections);
    }

    /** Builds the catalogue from what the plugins contribute; on a duplicate id the first plugin's skill stays. */
    public static SkillCatalog build(List<Contribution> contributions, JsonSchemas schemas) {
        List<Rejection> rejections = new ArrayList<>();
        Map<String, ConnectionType> types = new LinkedHashMap<>();
        Map<String, ConnectionTypes.Known> known = new LinkedHashMap<>();
        Map<String, String> typeOwners = new LinkedHashMap<>();
        for (Contribution contribution : contributions) {
            contribution.failures().forEach((extension, reason) ->
                    rejections.add(new Rejection(contribution.pluginId(), extension, "cannot be created: " + reason)));
            for (ConnectionType type : contribution.connectionTypes()) {
                String what = "connection type " + type.id();
                if (typeOwners.containsKey(type.id())) {
                    rejections.add(new Rejection(contribution.pluginId(), what, "duplicate: plugin "
                            + typeOwners.get(type.id()) + " already provides connection type " + type.id()));
                    continue;
                }
                try {
                    known.put(type.id(), admitType(type, schemas));
                    types.put(type.id(), type);
                    typeOwners.put(type.id(), contribution.pluginId());
                } catch (Refused refused) {
                    rejections.add(new Rejection(contribution.pluginId(), what, refused.getMessage()));
                } catch (RuntimeException | LinkageError e) {
                    rejections.add(new Rejection(contribution.pluginId(), what, "its declarations failed: " + e));
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
        return new SkillCatalog(entries, known, rejections);
    }

    /**
     * Checks what a type declares, as the gate will rely on it: a well-formed id, auth methods whose header templates
     * name their required fields, resource kinds with distinct names, every permission on a declared kind, and a
     * settings schema that compiles.
     */
    private static ConnectionTypes.Known admitType(ConnectionType type, JsonSchemas schemas) throws Refused {
        if (type.id() == null || !NAME.matcher(type.id()).matches()) {
            throw new Refused("connection type id must match " + NAME.pattern());
        }
        if (type.authMethods() == null || type.authMethods().isEmpty()) {
            throw new Refused("declares no auth method");
        }
        for (AuthMethod method : type.authMethods()) {
            if (!NAME.matcher(method.name()).matches()) {
                throw new Refused("auth method name '" + method.name() + "' must match " + NAME.pattern());
            }
            for (String template : method.headers().values()) {
                java.util.regex.Matcher field = TEMPLATE_FIELD.matcher(template);
                while (field.find()) {
                    if (!method.fields().contains(field.group(1))) {
                        throw new Refused("auth method " + method.name() + " sends {" + field.group(1)
                                + "}, which is not one of its required fields " + method.fields());
                    }
                }
            }
        }
        PermissionVocabulary vocabulary = PermissionVocabulary.of(type);
        if (vocabulary.kinds().size() != type.resourceKinds().size()) {
            throw new Refused("two resource kinds share a name");
        }
        for (PermissionGroup group : type.permissionGroups()) {
            if (vocabulary.kind(group.scope()).isEmpty()) {
                throw new Refused("permission '" + group.name() + "' is granted on '" + group.scope()
                        + "', which is not one of its resource kinds " + vocabulary.kinds().stream()
                        .map(ResourceKind::name).toList());
            }
        }
        try {
            return new ConnectionTypes.Known(type, schemas.compile(type.settingsSchema()));
        } catch (InvalidSchemaException e) {
            throw new Refused("settings schema does not compile: " + e.violations().get(0).message());
        }
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
        if (vocabulary.kind(rule.scope()).isEmpty()) {
            throw new Refused("malformed permission rule: '" + rule.scope() + "' is not a resource kind of " + type);
        }
        for (String name : rule.anyOf()) {
            Optional<PermissionGroup> group = vocabulary.group(name);
            if (group.isEmpty() || !vocabulary.isCanonical(name)) {
                throw new Refused("malformed permission rule: '" + name + "' is not a permission group of "
                        + type + (group.isPresent() ? " (write '" + group.get().name() + "')" : ""));
            }
            if (!group.get().scope().equals(rule.scope())) {
                throw new Refused("malformed permission rule: '" + name + "' is granted on a "
                        + group.get().scope() + ", not a " + rule.scope());
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

    /**
     * What to tell a caller who named no installed skill: the id, and the installed id it most likely meant (a
     * typo's), so that {@code run}, {@code describe} and the HTTP API answer alike.
     */
    public String unknownSkillMessage(String skillId) {
        return "no installed skill has the id '" + skillId + "'" + dev.quiver.runner.internal.Typos.closest(skillId,
                entries.keySet()).map(meant -> "; did you mean '" + meant + "'?").orElse("");
    }

    /** Every admitted skill, sorted by id. */
    public List<CatalogEntry> entries() {
        return entries.values().stream().sorted(java.util.Comparator.comparing(CatalogEntry::id)).toList();
    }

    /** The connection type with this id. */
    public Optional<ConnectionType> connectionType(String id) {
        return Optional.ofNullable(connectionTypes.get(id));
    }

    /** The connection type with this id, its settings schema compiled: for reading connections. */
    public Optional<ConnectionTypes.Known> knownType(String id) {
        return Optional.ofNullable(knownTypes.get(id));
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
