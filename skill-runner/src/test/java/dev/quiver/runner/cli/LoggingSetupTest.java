package dev.quiver.runner.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Quiver's logging without logback.xml: warnings and worse to stderr, the noisy libraries quiet. */
class LoggingSetupTest {

    @Test
    void logbackFindsTheSetupAsAConfigurator() {
        assertTrue(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .anyMatch(p -> p.type() == LoggingSetup.class));
    }

    @Test
    void warningsGoToStderrAndThePluginHostsNoiseAndNettysBusyPortAreQuiet() {
        LoggerContext context = new LoggerContext();
        LoggingSetup.apply(context);

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.WARN, root.getLevel());
        ConsoleAppender<?> appender = assertInstanceOf(ConsoleAppender.class, root.getAppender("STDERR"));
        assertEquals("System.err", appender.getTarget());
        assertFalse(context.getLogger("org.pf4j.PluginManager").isErrorEnabled());
        assertFalse(context.getLogger("io.micronaut.http.server.netty.NettyHttpServer").isErrorEnabled());
        assertTrue(context.getLogger("dev.quiver.runner.records.RecordPruner").isInfoEnabled());
        assertFalse(context.getLogger("dev.quiver.runner.pipeline.ExecutionPipeline").isInfoEnabled());
        assertTrue(context.getLogger("dev.quiver.runner.plugins.PluginHost").isWarnEnabled());
    }
}
