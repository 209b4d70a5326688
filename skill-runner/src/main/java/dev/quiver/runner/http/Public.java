package dev.quiver.runner.http;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A route that answers without an API key, also while the service drains: {@code GET /health}, which a load
 * balancer asks and which says no secret, and {@code GET /api/v1/oauth/callback}, which a browser reaches with no key
 * and which a single-use OAuth {@code state} binds to the admin's connect.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Public {
}
