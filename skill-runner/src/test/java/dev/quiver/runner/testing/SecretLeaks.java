package dev.quiver.runner.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import dev.quiver.runner.testing.Service.Reply;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Looks for secrets where they must never be: captures every log event (all levels) while open, then checks
 * responses, log lines and every file under a folder.
 */
public final class SecretLeaks implements AutoCloseable {

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();
    private final List<Appender<ILoggingEvent>> muted = new ArrayList<>();

    private SecretLeaks() {
        // Every level is captured; the console keeps quiet meanwhile, or a test's output drowns in DEBUG lines.
        root.iteratorForAppenders().forEachRemaining(muted::add);
        muted.forEach(root::detachAppender);
        logs.start();
        root.addAppender(logs);
        root.setLevel(Level.ALL);
    }

    /** Starts capturing log events. */
    public static SecretLeaks capturingLogs() {
        return new SecretLeaks();
    }

    /** How many log events were captured: a check over none proves nothing. */
    public int logEvents() {
        return logs.list.size();
    }

    /** Fails when any of {@code secrets} is in a reply (body or headers), a captured log line or a file of {@code home}. */
    public void assertAbsent(Collection<String> secrets, List<Reply> replies, Path home) throws IOException {
        List<ILoggingEvent> events = List.copyOf(logs.list);
        for (String secret : secrets) {
            for (Reply reply : replies) {
                assertFalse(reply.body().contains(secret), "a response leaks a secret: " + reply.body());
                assertFalse(reply.headers().map().toString().contains(secret), "a header leaks a secret");
            }
            for (ILoggingEvent event : events) {
                String line = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : ThrowableProxyUtil.asString(event.getThrowableProxy()));
                assertFalse(line.contains(secret), "a log line leaks a secret: " + line);
            }
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                    assertFalse(content.contains(secret), file + " holds a secret");
                }
            }
        }
    }

    @Override
    public void close() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        muted.forEach(root::addAppender);
    }
}
