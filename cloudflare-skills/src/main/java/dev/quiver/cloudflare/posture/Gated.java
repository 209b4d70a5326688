package dev.quiver.cloudflare.posture;

import dev.quiver.api.ErrorCode;
import dev.quiver.api.PermissionGrant;
import dev.quiver.api.PermissionRule;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;

/**
 * A read that needs an optional permission: not attempted when the gate says it is missing, attempted when the gate
 * could not judge (the connection lists no permissions) with Cloudflare's 403 taken as "missing". Either way the
 * caller gets why it has nothing, to report the checks it skipped.
 */
final class Gated<T> {

    interface Read<T> {
        T get() throws SkillException;
    }

    private final T value;
    private final String skippedBecause;

    private Gated(T value, String skippedBecause) {
        this.value = value;
        this.skippedBecause = skippedBecause;
    }

    static <T> Gated<T> read(SkillContext context, PermissionRule rule, Read<T> read) throws SkillException {
        if (context.grant(rule) == PermissionGrant.MISSING) {
            return new Gated<>(null, "the connection does not hold " + String.join(" or ", rule.anyOf()));
        }
        try {
            return new Gated<>(read.get(), null);
        } catch (SkillException e) {
            if (e.code() != ErrorCode.PERMISSION_DENIED) {
                throw e;
            }
            return new Gated<>(null, "Cloudflare refused the read (" + String.join(" or ", rule.anyOf())
                    + " is probably missing): " + e.getMessage());
        }
    }

    boolean available() {
        return skippedBecause == null;
    }

    T value() {
        return value;
    }

    String skippedBecause() {
        return skippedBecause;
    }
}
