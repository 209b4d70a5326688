package dev.quiver.runner.http;

import dev.quiver.runner.access.Role;
import dev.quiver.runner.testing.RawHttp;
import dev.quiver.runner.testing.RawHttp.Answer;
import dev.quiver.runner.testing.Service;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The limits a service is started with ({@code serve --batch-max-lines}, {@code --body-read-timeout}): a body that
 * trickles in holds a connection and a buffer, and is cut at the read deadline with 408; the batch line cap.
 */
class ConfiguredLimitsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(2);

    @TempDir
    static Path dir;
    static Service service;

    @BeforeAll
    static void start() throws Exception {
        service = Service.start(dir, new QuiverService.Limits(3, DEADLINE));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static RawHttp.BodyWriter oneBytePerSecond(int bytes) {
        return out -> {
            for (int i = 0; i < bytes; i++) {
                out.write(' ');
                out.flush();
                Thread.sleep(1000);
            }
        };
    }

    @Test
    void aBodyThatTricklesOneBytePerSecondIsCutWith408AtTheReadDeadline() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), "POST /api/v1/skills/cloudflare_get_zone_details/executions"
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + service.key(Role.ANALYST)
                + "\r\nContent-Type: application/json\r\nContent-Length: 100", oneBytePerSecond(100),
                Duration.ofSeconds(20));
        assertEquals(408, answer.status(), answer.body());
        assertEquals("INVALID_INPUT", answer.json().at("/error/code").asText(), answer.body());
        assertTrue(answer.elapsed().compareTo(DEADLINE.plusSeconds(3)) < 0, "cut promptly: " + answer.elapsed());
    }

    @Test
    void aChunkedBodyThatTricklesIsCutToo() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), "POST /api/v1/batch?connection=sandbox HTTP/1.1\r\nHost:"
                + " 127.0.0.1\r\nAuthorization: Bearer " + service.key(Role.ANALYST)
                + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked", out -> {
                    for (int i = 0; i < 100; i++) {
                        out.write("1\r\n\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(1000);
                    }
                }, Duration.ofSeconds(20));
        assertEquals(408, answer.status(), answer.body());
        assertTrue(answer.elapsed().compareTo(DEADLINE.plusSeconds(3)) < 0, "cut promptly: " + answer.elapsed());
    }

    @Test
    void theBatchLineCapIsTheConfiguredOne() {
        String line = "{\"skill\": \"no_such_skill\"}\n";
        Service.Reply four = service.send("POST", "/api/v1/batch?connection=sandbox", service.key(Role.ANALYST),
                "application/x-ndjson", line.repeat(4));
        assertEquals(413, four.status(), four.body());
        assertTrue(four.json().at("/error/message").asText().contains("more than 3 request lines"), four.body());
        Service.Reply three = service.send("POST", "/api/v1/batch?connection=sandbox", service.key(Role.ANALYST),
                "application/x-ndjson", line.repeat(3) + "\n\n");
        assertEquals(200, three.status(), three.body());
        assertEquals(3, three.body().lines().count(), "blank lines are no requests");
    }

    @Test
    void aBodyThatArrivesInTimeIsNotCut() throws Exception {
        Answer answer = RawHttp.exchange(service.port(), "POST /api/v1/skills/cloudflare_get_zone_details/executions"
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + service.key(Role.ANALYST)
                + "\r\nContent-Type: application/json\r\nContent-Length: 38", out -> {
                    out.write("{\"connection\": \"sandbox\", ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.flush();
                    Thread.sleep(1000);
                    out.write("\"input\": {}}".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }, Duration.ofSeconds(20));
        assertEquals(200, answer.status(), answer.body());
    }

    // Found by the by-hand replay: connections that sent no head, or a header line now and then, stayed open minutes.
    @Test
    void aConnectionThatSendsNoRequestOrItsHeadersSlowlyIsClosedAtTheReadDeadline() throws Exception {
        try (java.net.Socket silent = new java.net.Socket("127.0.0.1", service.port());
             java.net.Socket slow = new java.net.Socket("127.0.0.1", service.port())) {
            silent.setSoTimeout(15_000);
            slow.setSoTimeout(1_000);
            long started = System.nanoTime();
            slow.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(
                    java.nio.charset.StandardCharsets.US_ASCII));
            boolean slowClosed = false;
            for (int line = 0; line < 12 && !slowClosed; line++) {
                try {
                    slow.getOutputStream().write(("X-Slow-" + line + ": 1\r\n").getBytes(
                            java.nio.charset.StandardCharsets.US_ASCII));
                    slow.getOutputStream().flush();
                    slowClosed = slow.getInputStream().read() == -1;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // no answer yet: send the next line
                } catch (java.io.IOException reset) {
                    slowClosed = true;
                }
            }
            assertTrue(slowClosed, "headers sent a line a second are cut");
            assertEquals(-1, silent.getInputStream().read(), "a connection that sends nothing is closed");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertTrue(took.compareTo(DEADLINE.plusSeconds(4)) < 0, "closed at the deadline: " + took);
        }
        assertEquals(200, service.get("/health", null).status(), "the service still answers");
    }
}
