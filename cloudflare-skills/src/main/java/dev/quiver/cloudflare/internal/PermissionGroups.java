package dev.quiver.cloudflare.internal;

import dev.quiver.api.PermissionGroup;

import java.util.ArrayList;
import java.util.List;

/**
 * Cloudflare's API permission groups that Quiver's skills name or that a connection commonly lists (API spelling,
 * developers.cloudflare.com/fundamentals/api/reference/permissions/). Each group comes as Read and Write; Write
 * implies Read, and the dashboard's "Edit" is the API's "Write".
 */
public final class PermissionGroups {

    public static final String ACCOUNT_SETTINGS_READ = "Account Settings Read";
    public static final String ACCESS_APPS_READ = "Access: Apps and Policies Read";
    public static final String ZONE_READ = "Zone Read";
    public static final String ZONE_SETTINGS_READ = "Zone Settings Read";
    public static final String ZONE_WAF_WRITE = "Zone WAF Write";
    public static final String ACCOUNT_RULESETS_WRITE = "Account Rulesets Write";
    public static final String ACCOUNT_WAF_WRITE = "Account WAF Write";
    public static final String TRANSFORM_RULES_WRITE = "Transform Rules Write";
    public static final String API_TOKENS_READ = "API Tokens Read";
    public static final String ACCOUNT_API_TOKENS_READ = "Account API Tokens Read";
    public static final String ZONE_WAF_READ = "Zone WAF Read";
    public static final String ACCOUNT_WAF_READ = "Account WAF Read";
    public static final String ACCOUNT_RULESETS_READ = "Account Rulesets Read";
    public static final String DNS_READ = "DNS Read";
    public static final String WORKERS_SCRIPTS_READ = "Workers Scripts Read";
    public static final String WORKERS_ROUTES_READ = "Workers Routes Read";
    public static final String PAGE_RULES_READ = "Page Rules Read";
    public static final String TRANSFORM_RULES_READ = "Transform Rules Read";
    public static final String DYNAMIC_REDIRECTS_READ = "Dynamic URL Redirects Read";
    public static final String FILTER_LISTS_READ = "Account Filter Lists Read";

    public static final List<PermissionGroup> ALL = build();

    private PermissionGroups() {
    }

    private static List<PermissionGroup> build() {
        List<PermissionGroup> groups = new ArrayList<>();
        readWrite(groups, "Account Settings", Resources.ACCOUNT);
        readWrite(groups, "Access: Apps and Policies", Resources.ACCOUNT);
        readWrite(groups, "Account Rulesets", Resources.ACCOUNT);
        readWrite(groups, "Account WAF", Resources.ACCOUNT);
        readWrite(groups, "Account API Tokens", Resources.ACCOUNT);
        readWrite(groups, "Workers Scripts", Resources.ACCOUNT);
        readWrite(groups, "Account Filter Lists", Resources.ACCOUNT);
        readWrite(groups, "Zone", Resources.ZONE);
        readWrite(groups, "Zone Settings", Resources.ZONE);
        readWrite(groups, "Zone WAF", Resources.ZONE);
        readWrite(groups, "DNS", Resources.ZONE);
        readWrite(groups, "Firewall Services", Resources.ZONE);
        readWrite(groups, "Transform Rules", Resources.ZONE);
        readWrite(groups, "Page Rules", Resources.ZONE);
        readWrite(groups, "Workers Routes", Resources.ZONE);
        readWrite(groups, "Dynamic URL Redirects", Resources.ZONE);
        readWrite(groups, "API Tokens", Resources.USER);
        readWrite(groups, "User Details", Resources.USER);
        return List.copyOf(groups);
    }

    private static void readWrite(List<PermissionGroup> groups, String base, String scope) {
        groups.add(new PermissionGroup(base + " Read", scope, List.of(), List.of()));
        groups.add(new PermissionGroup(base + " Write", scope, List.of(base + " Edit"), List.of(base + " Read")));
    }
}
