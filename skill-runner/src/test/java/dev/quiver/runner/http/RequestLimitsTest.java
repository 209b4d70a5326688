package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.RawHttp;
import dev.quiver.runner.testing.RawHttp.Answer;
import dev.quiver.runner.testing.Service;
import dev.quiver.runner.testing.Service.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The body limits, attacked on the real server: 1 MiB for a JSON body, 16 MiB for a batch, 64 MiB for a plugin
 * archive, counted as the bytes arrive (a chunked body has no Content-Length to check), and reachable.
 */
class RequestLimitsTest {

    private static final long MIB = 1 << 20;
    private static final String EXECUTIONS = "/api/v1/skills/cloudflare_get_zone_details/executions";

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static String head(String target, Role role, String contentType) {
        return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + service.key(role)
                + "\r\nContent-Type: " + contentType + "\r\nTransfer-Encoding: chunked";
    }

    private static void assertTooLarge(Answer answer) {
        assertEquals(413, answer.status(), answer.body());
        assertEquals("INVALID_INPUT", answer.json().at("/error/code").asText(), answer.body());
        assertFalse(answer.json().at("/error/message").asText().isBlank());
        assertTrue(answer.json().at("/error").has("details") && answer.json().at("/error").has("remediation"),
                "the contract's error object: " + answer.body());
    }

    @Test
    void aChunkedJsonBodyOverOneMebibyteIs413WithTheErrorObject() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), head(EXECUTIONS, Role.ANALYST, "application/json"),
                RawHttp.chunked(2 * MIB, 64 * 1024, (byte) ' '), Duration.ofSeconds(30));
        assertTooLarge(answer);
    }

    @Test
    void aChunkedBatchOverSixteenMebibytesIs413WithTheErrorObject() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), head("/api/v1/batch?connection=sandbox", Role.ANALYST,
                "application/x-ndjson"), RawHttp.chunked(17 * MIB, 256 * 1024, (byte) '\n'), Duration.ofSeconds(60));
        assertTooLarge(answer);
    }

    @Test
    void aChunkedPluginArchiveOverSixtyFourMebibytesIs413WithTheErrorObject() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), head("/api/v1/plugins", Role.ADMIN,
                "application/octet-stream"), RawHttp.chunked(65 * MIB, 1 << 20, (byte) 'P'), Duration.ofSeconds(60));
        assertTooLarge(answer);
    }

    @Test
    void aTwelveMegabyteBatchIsReadAndRunNotRefusedWith500() {
        // 100 lines of about 120 KB each: every one is refused by the pipeline (no such skill), quickly.
        StringBuilder body = new StringBuilder();
        String pad = "x".repeat(120_000);
        for (int i = 1; i <= 100; i++) {
            body.append("{\"skill\": \"no_such_skill\", \"id\": ").append(i).append(", \"input\": {\"pad\": \"")
                    .append(pad).append("\"}}\n");
        }
        assertTrue(body.length() > 12_000_000);
        Reply reply = service.send("POST", "/api/v1/batch?connection=sandbox", service.key(Role.ANALYST),
                "application/x-ndjson", body.toString());
        assertEquals(200, reply.status(), reply.body().substring(0, Math.min(500, reply.body().length())));
        assertEquals(100, reply.body().lines().count());
    }

    @Test
    void aTwelveMegabytePluginArchiveIsReadAndJudgedNotRefusedWith500() {
        byte[] notAnArchive = new byte[12_000_000];
        java.util.Arrays.fill(notAnArchive, (byte) 'Z');
        Reply reply = service.send("POST", "/api/v1/plugins", service.key(Role.ADMIN), "application/octet-stream",
                notAnArchive);
        assertEquals(400, reply.status(), reply.body());
        assertTrue(reply.json().at("/error/message").asText().contains("refused"), reply.body());
    }

    @Test
    void aJsonBodyJustUnderTheLimitIsReadWhetherChunkedOrNot() throws Exception {
        String body = "{\"connection\": \"sandbox\", \"input\": {}}" + " ".repeat((int) MIB - 100);
        Reply sized = service.post(EXECUTIONS, Role.ANALYST, body);
        assertEquals(200, sized.status(), sized.body());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Answer chunked = RawHttp.exchange(service.port(), head(EXECUTIONS, Role.ANALYST, "application/json"),
                out -> {
                    out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(bytes);
                    out.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }, Duration.ofSeconds(30));
        assertEquals(200, chunked.status(), chunked.body());
    }

    private static void assertErrorObject(Answer answer, int status, String says) {
        assertEquals(status, answer.status(), answer.body());
        assertEquals("INVALID_INPUT", answer.json().at("/error/code").asText(), answer.body());
        assertTrue(answer.json().at("/error/message").asText().contains(says), answer.body());
        assertTrue(answer.json().at("/error").has("details") && answer.json().at("/error").has("remediation"),
                "the contract's error object: " + answer.body());
    }

    // Found by the by-hand replay: Netty's limits on a request's head were answered 413 with Micronaut's HAL body.
    @Test
    void aRequestLineOverTheLimitIs414WithTheErrorObject() throws Exception {
        String target = "/api/v1/skills?pad=" + "a".repeat(5000);
        Answer answer = RawHttp.exchange(service.port(), "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1"
                + "\r\nAuthorization: Bearer " + service.key(Role.VIEWER));
        assertErrorObject(answer, 414, "request line");
        // Under the limit, the same request is served.
        assertEquals(200, RawHttp.exchange(service.port(), "GET /api/v1/skills?pad=" + "a".repeat(3000)
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + service.key(Role.VIEWER)).status());
    }

    @Test
    void headersOverTheLimitAre431WithTheErrorObjectAndNoControllerRuns() throws Exception {
        int keys = service.runtime().keys().keys().size();
        String head = "POST /api/v1/keys HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                + service.key(Role.ADMIN) + "\r\nContent-Type: application/json\r\nContent-Length: 19";
        StringBuilder padded = new StringBuilder(head);
        for (int i = 0; i < 10; i++) {
            padded.append("\r\nX-Pad-").append(i).append(": ").append("b".repeat(1000));
        }
        Answer answer = RawHttp.exchange(service.port(), padded.toString(),
                out -> out.write("{\"role\": \"viewer\"}".getBytes(StandardCharsets.US_ASCII)),
                Duration.ofSeconds(30));
        assertErrorObject(answer, 431, "headers");
        assertEquals(keys, service.runtime().keys().keys().size(), "no key was made");
        Answer one = RawHttp.exchange(service.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
                + "c".repeat(9000));
        assertErrorObject(one, 431, "headers");
        assertEquals(200, RawHttp.exchange(service.port(), "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: "
                + "c".repeat(6000)).status(), "under the limit, served");
    }
}
