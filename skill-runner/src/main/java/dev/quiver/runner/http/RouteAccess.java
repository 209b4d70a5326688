package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationMetadataProvider;

import java.util.Optional;

/**
 * What a matched route declares ({@link Allowed}, {@link Public}, {@link Unrestricted}, {@link InScope}), read from
 * its annotation metadata.
 *
 * @param open         needs no key
 * @param role         the least role, or none (refused to every key)
 * @param maxBodyBytes the largest body the route reads
 * @param unrestricted what the route does, when a key limited to some connections may not do it
 * @param inScope      the path variable naming a connection the key's scope must allow
 */
record RouteAccess(boolean open, Optional<Role> role, long maxBodyBytes, Optional<String> unrestricted,
                   Optional<String> inScope) {

    /** What a request with no route gets: no role (Micronaut answers 404 or 405) and the JSON body limit. */
    static final RouteAccess NO_ROUTE = new RouteAccess(false, Optional.empty(), Allowed.JSON_BODY, Optional.empty(),
            Optional.empty());

    static RouteAccess of(AnnotationMetadataProvider route) {
        AnnotationMetadata metadata = route.getAnnotationMetadata();
        if (metadata.hasAnnotation(Public.class)) {
            return new RouteAccess(true, Optional.empty(), Allowed.JSON_BODY, Optional.empty(), Optional.empty());
        }
        // No @Allowed: no role, which the filter refuses (fail closed).
        Optional<Role> role = metadata.enumValue(Allowed.class, Role.class);
        long limit = metadata.longValue(Allowed.class, "maxBodyBytes").orElse(Allowed.JSON_BODY);
        Optional<String> unrestricted = metadata.stringValue(Unrestricted.class);
        // stringValue gives no default for an annotation written without a value: InScope's is "id".
        Optional<String> inScope = metadata.hasAnnotation(InScope.class)
                ? Optional.of(metadata.stringValue(InScope.class).orElse("id")) : Optional.empty();
        return new RouteAccess(false, role, limit, unrestricted, inScope);
    }
}
