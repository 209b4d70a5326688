package dev.quiver.cloudflare.sandbox;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quiver.api.Simulator;
import dev.quiver.cloudflare.CloudflareConnectionType;
import dev.quiver.sandbox.CloudflareSandbox;
import dev.quiver.sandbox.RateLimit;
import org.pf4j.Extension;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The Cloudflare plugin's simulator: the {@code cloudflare-sandbox} module (bundled in this plugin's {@code lib/}),
 * seeded with four zones, 30 days of audit logs, insights, Access applications and rulesets. One option:
 * {@code rate_limit} = N requests per 5 minutes before it answers 429 (Cloudflare's is 1200; default: never);
 * {@code token_ttl} = seconds its OAuth access tokens live (Cloudflare's: 3600, the default), short to exercise
 * refresh.
 */
@Extension
public class CloudflareSimulator implements Simulator {

    private static final Set<String> OPTIONS = Set.of("rate_limit", "token_ttl");

    @Override
    public String connectionType() {
        return CloudflareConnectionType.ID;
    }

    @Override
    public Running start(Options options) throws IOException {
        for (String name : options.options().keySet()) {
            if (!OPTIONS.contains(name)) {
                throw new IllegalArgumentException("unknown option '" + name + "' (the Cloudflare simulator takes "
                        + OPTIONS + ")");
            }
        }
        RateLimit limit = RateLimit.GENEROUS;
        String rate = options.options().get("rate_limit");
        if (rate != null) {
            int requests;
            try {
                requests = Integer.parseInt(rate);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("rate_limit must be a whole number, not '" + rate + "'");
            }
            if (requests < 1) {
                throw new IllegalArgumentException("rate_limit must be at least 1");
            }
            limit = RateLimit.perFiveMinutes(requests);
        }
        Duration ttl = CloudflareSandbox.DEFAULT_ACCESS_TOKEN_TTL;
        String seconds = options.options().get("token_ttl");
        if (seconds != null) {
            try {
                ttl = Duration.ofSeconds(Long.parseLong(seconds));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("token_ttl must be a whole number of seconds, not '" + seconds + "'");
            }
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("token_ttl must be at least 1");
            }
        }
        CloudflareSandbox sandbox = CloudflareSandbox.start(options.port(), limit, ttl);
        RateLimit quota = limit;
        return new Running() {
            @Override
            public ObjectNode connection() {
                return sandbox.connection();
            }

            @Override
            public String describe() {
                return "Cloudflare sandbox serving " + sandbox.baseUrl() + " (" + sandbox.auditLogCount()
                        + " audit-log entries, " + quota.requests() + " requests per 5 minutes)";
            }

            @Override
            public Optional<OAuthClient> oauthClient() {
                return Optional.of(new OAuthClient(sandbox.oauthBaseUrl(), sandbox.oauthClientId()));
            }

            @Override
            public void close() {
                sandbox.close();
            }
        };
    }
}
