package dev.quiver.api;

/**
 * The version of this plugin API, which a plugin names in its manifest's {@code Plugin-Requires}
 * ({@code >=1.0.0 & <2.0.0}) and the runner declares to pf4j as its system version.
 *
 * <p>Semantic versioning: a minor release (1.x) only adds (a new type, a new default method, a new optional record
 * component behind a kept constructor, a new {@link ErrorCode} a plugin may raise); a plugin built against 1.0 keeps
 * loading and behaving on every 1.x runner. Removing or changing anything a plugin calls or implements is a major
 * release.
 *
 * @since 1.0
 */
public final class ApiVersion {

    /** This API's version: {@value}. */
    public static final String CURRENT = "1.0.0";

    private ApiVersion() {
    }
}
