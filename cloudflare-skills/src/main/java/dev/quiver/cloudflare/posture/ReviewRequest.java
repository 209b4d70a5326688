package dev.quiver.cloudflare.posture;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** The review's input, read once: bad addresses (as given and parsed), login paths, the TLS version wanted. */
record ReviewRequest(List<String> badIps, List<IpRange> badRanges, List<String> loginPaths, String minTls) {

    static final List<String> DEFAULT_LOGIN_PATHS = List.of("/login", "/signin", "/auth", "/wp-login.php");

    static ReviewRequest of(JsonNode input) {
        List<String> badIps = new ArrayList<>();
        List<IpRange> ranges = new ArrayList<>();
        for (JsonNode ip : input.path("bad_ips")) {
            // The input schema admits only address and CIDR literals; one that does not parse is skipped, not guessed.
            IpRange.parse(ip.asText()).ifPresent(range -> {
                badIps.add(ip.asText());
                ranges.add(range);
            });
        }
        List<String> paths = new ArrayList<>();
        input.path("login_paths").forEach(path -> paths.add(path.asText()));
        return new ReviewRequest(List.copyOf(badIps), List.copyOf(ranges),
                paths.isEmpty() ? DEFAULT_LOGIN_PATHS : List.copyOf(paths),
                input.path("min_tls_version").asText("1.2"));
    }
}
