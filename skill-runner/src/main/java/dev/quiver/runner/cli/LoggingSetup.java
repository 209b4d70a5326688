package dev.quiver.runner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Quiver's logging, set up in code: found by logback through {@code ServiceLoader}, it replaces a
 * {@code logback.xml}, whose XML parser and configuration interpreter cost every command about 600 classes and a
 * good part of its start-up (a playbook may start Quiver once per alert). {@code -Dlogback.configurationFile=…}
 * still wins, and a {@code logback-test.xml} (tests) is left to logback's own configurator.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LoggingSetup extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (LoggingSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets up {@code context} as Quiver logs. */
    static void apply(LoggerContext context) {
        // stdout carries only results: every log line goes to stderr.
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        // pf4j logs every broken archive with a stack trace; the plugin host reports each once, with the reason.
        context.getLogger("org.pf4j").setLevel(Level.OFF);
        // Netty logs a busy port as an ERROR; serve says the same in one line of its own, with what to do.
        context.getLogger("io.micronaut.http.server.netty.NettyHttpServer").setLevel(Level.OFF);
        context.getLogger("dev.quiver").setLevel(Level.WARN);
        // The records say what they imported and pruned.
        context.getLogger("dev.quiver.runner.records").setLevel(Level.INFO);
        context.getLogger("quiver").setLevel(Level.WARN);
    }
}
