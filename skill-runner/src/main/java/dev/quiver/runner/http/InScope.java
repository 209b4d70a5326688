package dev.quiver.runner.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route about one stored connection, named by a path variable: a key limited to some connections gets 404
 * {@code UNKNOWN_CONNECTION} for any other, exactly as for a connection that does not exist. Read by the access filter
 * with {@link Allowed}, so the refusal comes before the body is read or bound.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface InScope {

    /** The path variable holding the connection's id. */
    String value() default "id";
}
