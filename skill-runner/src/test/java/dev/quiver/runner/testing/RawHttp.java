package dev.quiver.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quiver.runner.internal.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP/1.1 written by hand on a socket, for what a well-behaved client will not send: a path exactly as given (no
 * normalisation), a chunked body of any size, or a body that trickles. One request per connection.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** What came back: the status ({@code -1} if the connection closed without one), the body, and how long it took. */
    public record Answer(int status, String body, Duration elapsed) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + body, e);
            }
        }
    }

    /** How a body is sent. */
    @FunctionalInterface
    public interface BodyWriter {
        void write(OutputStream out) throws IOException, InterruptedException;
    }

    /** Sends {@code head} (request line and headers, without the blank line), then the body, and reads the answer. */
    public static Answer exchange(int port, String head, BodyWriter body, Duration wait) throws IOException {
        long started = System.nanoTime();
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout((int) wait.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // The body is written beside the read: a server that answers early stops reading, and the answer counts.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    body.write(out);
                    out.flush();
                } catch (IOException e) {
                    // the server closed the connection: what it answered before is read below
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Answer answer = read(socket.getInputStream(), started);
            writing.cancel(true);
            return answer;
        }
    }

    /** A request without a body. */
    public static Answer exchange(int port, String head) throws IOException {
        return exchange(port, head, out -> { }, Duration.ofSeconds(30));
    }

    /** Writes {@code total} bytes of {@code fill} as chunks of {@code chunk} bytes, then the last chunk. */
    public static BodyWriter chunked(long total, int chunk, byte fill) {
        return out -> {
            byte[] piece = new byte[chunk];
            java.util.Arrays.fill(piece, fill);
            long left = total;
            while (left > 0) {
                int n = (int) Math.min(chunk, left);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(piece, 0, n);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                left -= n;
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        };
    }

    private static Answer read(InputStream in, long started) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                all.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            if (all.size() == 0) {
                throw e;
            }
        } catch (IOException e) {
            // a reset after the answer: keep what came
            if (all.size() == 0) {
                return new Answer(-1, "", Duration.ofNanos(System.nanoTime() - started));
            }
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        String text = all.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.1 ")) {
            return new Answer(-1, text, elapsed);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        int split = text.indexOf("\r\n\r\n");
        String headers = text.substring(0, Math.max(split, 0)).toLowerCase(Locale.ROOT);
        String body = split < 0 ? "" : text.substring(split + 4);
        if (headers.contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, body, elapsed);
    }

    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (at < chunked.length()) {
            int eol = chunked.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].strip(), 16);
            if (size == 0) {
                break;
            }
            body.append(chunked, eol + 2, Math.min(eol + 2 + size, chunked.length()));
            at = eol + 2 + size + 2;
        }
        return body.toString();
    }
}
