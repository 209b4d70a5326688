package dev.quiver.cloudflare.internal;

/** Cloudflare's resource kinds, as {@code CloudflareConnectionType} declares them. */
public final class Resources {

    /** The user who owns the token. */
    public static final String USER = "user";
    /** An account, named by {@code account_id}. */
    public static final String ACCOUNT = "account";
    /** A zone, named by {@code zone_id}. */
    public static final String ZONE = "zone";

    private Resources() {
    }
}
