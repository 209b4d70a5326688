package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import io.micronaut.core.annotation.AnnotationMetadata;
import io.micronaut.core.annotation.AnnotationMetadataProvider;

import java.util.Optional;

/** What a matched route declares ({@link Allowed}, {@link Public}), read from its annotation metadata. */
record RouteAccess(boolean open, Optional<Role> role, long maxBodyBytes) {

    /** What a request with no route gets: no role (Micronaut answers 404 or 405) and the JSON body limit. */
    static final RouteAccess NO_ROUTE = new RouteAccess(false, Optional.empty(), Allowed.JSON_BODY);

    static RouteAccess of(AnnotationMetadataProvider route) {
        AnnotationMetadata metadata = route.getAnnotationMetadata();
        if (metadata.hasAnnotation(Public.class)) {
            return new RouteAccess(true, Optional.empty(), Allowed.JSON_BODY);
        }
        // No @Allowed: no role, which the filter refuses (fail closed).
        Optional<Role> role = metadata.enumValue(Allowed.class, Role.class);
        long limit = metadata.longValue(Allowed.class, "maxBodyBytes").orElse(Allowed.JSON_BODY);
        return new RouteAccess(false, role, limit);
    }
}
