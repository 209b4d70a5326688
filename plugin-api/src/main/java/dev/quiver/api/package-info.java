/**
 * The Quiver plugin API, version 1.0 ({@link dev.quiver.api.ApiVersion}): what a plugin implements and what the
 * runner hands it. Vendor-neutral: everything about a vendor is declared by the plugin.
 *
 * <p>A plugin contributes {@link dev.quiver.api.Skill skills}, usually one {@link dev.quiver.api.ConnectionType}
 * (its vendor's settings, auth methods, resource kinds, permission vocabulary and remediation text) and, ideally, a
 * {@link dev.quiver.api.Simulator} of its vendor's API. All three are pf4j extensions ({@code @Extension}). The runner
 * owns policy: it validates a skill's input against the declared schema, binds the skill's
 * {@linkplain dev.quiver.api.Skill#requiredPermissions required permissions} to resources as the type's
 * {@link dev.quiver.api.ResourceKind}s declare, checks them against the connection before any request leaves, runs
 * the skill under a deadline and validates its output. The plugin owns the vendor's API: requests, pagination,
 * errors.
 *
 * <p>Plugin code never sees a secret: {@link dev.quiver.api.SkillContext#http()} is a transport that the runner has
 * already bound to the connection's base URL and credential.
 *
 * <p>Plugins depend on this module with {@code provided} scope; the runner loads it, pf4j, Jackson and slf4j from its
 * own class loader so that values such as {@link com.fasterxml.jackson.databind.JsonNode} cross the boundary intact.
 * Compatibility: see {@link dev.quiver.api.ApiVersion}.
 *
 * @since 1.0
 */
package dev.quiver.api;
