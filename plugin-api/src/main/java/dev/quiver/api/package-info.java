/**
 * The Quiver plugin API: what a plugin implements and what the runner hands it.
 *
 * <p>A plugin contributes {@link dev.quiver.api.Skill skills} and, usually, one {@link dev.quiver.api.ConnectionType}
 * that says how its vendor authenticates and which permission groups its vendor knows. Both are pf4j extensions
 * ({@code @Extension}). The runner owns policy: it validates a skill's input against the declared schema, resolves
 * the skill's {@linkplain dev.quiver.api.Skill#requiredPermissions required permissions} for that input, checks them
 * against the connection before any request leaves, runs the skill under a deadline and validates its output.
 * The plugin owns the vendor's API: requests, pagination, errors.
 *
 * <p>Plugin code never sees a secret: {@link dev.quiver.api.SkillContext#http()} is a transport that the runner has
 * already bound to the connection's base URL and credential.
 *
 * <p>Plugins depend on this module with {@code provided} scope; the runner loads it, pf4j, Jackson and slf4j from its
 * own class loader so that values such as {@link com.fasterxml.jackson.databind.JsonNode} cross the boundary intact.
 */
package dev.quiver.api;
