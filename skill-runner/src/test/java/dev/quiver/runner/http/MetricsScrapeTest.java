package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real scrape of {@code /metrics} from the running service (Micrometer's Prometheus registry) after executions on
 * the sandbox: the execution, latency and vendor-request series are there, under the names they had before
 * Micrometer, with the counts of what happened.
 */
class MetricsScrapeTest {

    private static final String SKILL = "cloudflare_get_zone_details";

    @TempDir
    Path dir;

    @Test
    void aScrapeFindsTheExecutionLatencyAndVendorRequestSeriesWithWhatHappened() throws Exception {
        try (Service service = Service.start(dir)) {
            assertEquals(200, service.execute(SKILL, Role.ANALYST, "{}").status());
            assertEquals(200, service.execute(SKILL, Role.ANALYST, "{}").status());
            assertEquals(400, service.execute(SKILL, Role.ANALYST, "{\"not_a_field\": true}").status());

            Reply scrape = service.get("/metrics", Role.VIEWER);
            assertEquals(200, scrape.status(), scrape.body());
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
                    scrape.headers().toString());
            Map<String, Double> series = samples(scrape.body());

            assertEquals(2.0, series.get("quiver_executions_total{outcome=\"succeeded\",skill=\"" + SKILL + "\"}"),
                    scrape.body());
            assertEquals(1.0, series.get("quiver_executions_total{outcome=\"INVALID_INPUT\",skill=\"" + SKILL + "\"}"),
                    scrape.body());
            assertEquals(3.0, series.get("quiver_execution_duration_seconds_count{skill=\"" + SKILL + "\"}"));
            assertEquals(3.0, series.get("quiver_execution_duration_seconds_bucket{skill=\"" + SKILL
                    + "\",le=\"+Inf\"}"), scrape.body());
            assertTrue(series.containsKey("quiver_execution_duration_seconds_bucket{skill=\"" + SKILL
                    + "\",le=\"0.005\"}"), "the buckets users had before: " + scrape.body());
            assertTrue(series.get("quiver_execution_duration_seconds_sum{skill=\"" + SKILL + "\"}") > 0);

            double sent = series.get("quiver_vendor_requests_total{type=\"cloudflare\"}");
            assertEquals((double) service.sandbox().requestCount(), sent, "every request the sandbox saw is counted");
            assertTrue(sent >= 2, scrape.body());
            assertEquals(0.0, series.get("quiver_vendor_rate_limited_total{type=\"cloudflare\"}"), scrape.body());
            assertEquals(1.0, series.get("quiver_plugins_loaded"), scrape.body());
            assertTrue(scrape.body().contains("# TYPE quiver_executions_total counter"), scrape.body());
        }
    }

    @Test
    void metricsNeedAViewerKey() throws Exception {
        try (Service service = Service.start(dir)) {
            assertEquals(401, service.get("/metrics", null).status());
        }
    }

    /** {@code name{labels} value} lines, labels as written, comments skipped. */
    private static Map<String, Double> samples(String text) {
        Pattern line = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)$", Pattern.MULTILINE);
        Matcher m = line.matcher(text);
        return m.results().collect(Collectors.toMap(r -> r.group(1), r -> Double.parseDouble(r.group(2)),
                (a, b) -> b));
    }
}
