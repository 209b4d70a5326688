package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a route allows: the least role of the API key that calls it, and the largest body it reads. The access filter
 * reads it from the route Micronaut matched, so a path spelled any way Micronaut routes gets the same check; a route
 * without it is refused to every key (only {@link Public} routes need none).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allowed {

    /** The body limit of a route that declares none: a JSON request. */
    long JSON_BODY = 1L << 20;
    /** A batch of JSON Lines. */
    long BATCH_BODY = 16L << 20;
    /** A plugin archive. */
    long ARCHIVE_BODY = 64L << 20;

    /** The least role. */
    Role value();

    /** The most bytes the route's body may have, counted as they arrive. */
    long maxBodyBytes() default JSON_BODY;
}
