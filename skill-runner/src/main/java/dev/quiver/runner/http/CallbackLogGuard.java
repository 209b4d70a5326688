package dev.quiver.runner.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.quiver.runner.oauth.OAuthFlow;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps the OAuth callback's URL out of the framework's log lines: its query carries the authorization code, and
 * Micronaut prints request URIs at DEBUG and TRACE (every published request event, every route match). An event of a
 * framework logger ({@code io.micronaut}, {@code io.netty}) that mentions the callback path is dropped, at any level:
 * a log line is not worth a code. Quiver's own log lines never hold a URL with a code. Installed once per logging
 * context; without Logback (another SLF4J binding) it does nothing.
 */
final class CallbackLogGuard extends TurboFilter {

    private static final String CALLBACK = OAuthFlow.CALLBACK_PATH;

    static void install() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(CallbackLogGuard.class::isInstance)) {
            CallbackLogGuard guard = new CallbackLogGuard();
            guard.setContext(context);
            guard.start();
            context.addTurboFilter(guard);
        }
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (format == null || !(logger.getName().startsWith("io.micronaut") || logger.getName().startsWith("io.netty"))
                || !level.isGreaterOrEqual(logger.getEffectiveLevel())) {
            return FilterReply.NEUTRAL;  // not the framework's, or not written anyway: no message is looked at
        }
        if (format.contains(CALLBACK)) {
            return FilterReply.DENY;
        }
        if (params != null) {
            for (Object param : params) {
                if (param != null && String.valueOf(param).contains(CALLBACK)) {
                    return FilterReply.DENY;
                }
            }
        }
        return FilterReply.NEUTRAL;
    }
}
