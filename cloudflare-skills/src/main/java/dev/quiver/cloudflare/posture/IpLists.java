package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.api.SkillContext;
import dev.quiver.api.SkillException;
import dev.quiver.cloudflare.internal.ZoneConfig;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's IP lists by name, read once per review and only when a rule references one; unreadable (no
 * permission, or no account) is remembered with its reason.
 */
final class IpLists {

    private static final int MAX_ITEMS = 10_000;

    private final SkillContext context;
    private final ZoneConfig config;
    private final String accountId;
    private Map<String, List<IpRange>> byName;
    private String unreadable;

    IpLists(SkillContext context, ZoneConfig config, String accountId) {
        this.context = context;
        this.config = config;
        this.accountId = accountId;
    }

    /** List name to its ranges (empty when the review cannot read them: see {@link #unreadable()}). */
    Map<String, List<IpRange>> byName() throws SkillException {
        if (byName != null) {
            return byName;
        }
        byName = new HashMap<>();
        if (accountId == null) {
            unreadable = "the connection has no account_id";
            return byName;
        }
        Gated<Map<String, List<IpRange>>> read = Gated.read(context, ReviewSecurityPostureSkill.LISTS, () -> {
            Map<String, List<IpRange>> lists = new HashMap<>();
            for (JsonNode list : config.lists(accountId)) {
                if (!"ip".equals(list.path("kind").asText()) || !list.hasNonNull("id")) {
                    continue;
                }
                List<IpRange> ranges = new ArrayList<>();
                for (JsonNode item : config.listItems(accountId, list.get("id").asText(), MAX_ITEMS)) {
                    IpRange.parse(item.path("ip").asText("")).ifPresent(ranges::add);
                }
                lists.put(list.path("name").asText(), ranges);
            }
            return lists;
        });
        if (read.available()) {
            byName = read.value();
        } else {
            unreadable = read.skippedBecause();
        }
        return byName;
    }

    String unreadable() {
        return unreadable;
    }
}
