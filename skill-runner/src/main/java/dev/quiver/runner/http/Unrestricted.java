package dev.quiver.runner.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route that a key limited to some connections may not call, whatever its role: managing keys (such a key could
 * mint itself a key for every connection) or plugins (a plugin runs for every customer, with the service's rights).
 * Read by the access filter with {@link Allowed}, so the refusal (403) comes before the body is read or bound: a
 * tenant's admin learns nothing from how its body would have been judged.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Unrestricted {

    /** What the route does, for the refusal: "may not {value}". */
    String value();
}
