package dev.quiver.runner.http;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.web.router.Router;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpRequest;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Puts a {@link BodyGuard} on every HTTP/1 connection, right after Netty's HTTP codec. A body's limit is the one its
 * route declares, found by Micronaut's own router: the same route the access filter reads.
 */
@Singleton
final class BodyGuardInstaller implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    /** The property with the read deadline of a request body. */
    static final String READ_TIMEOUT = "quiver.server.body-read-timeout";

    private final BeanProvider<Router> router;
    private final Duration readTimeout;
    private final BodyGuard.HeadLimits headLimits;

    /** The head limits are the codec's own settings, with Micronaut's defaults, so the refusal quotes the real ones. */
    BodyGuardInstaller(BeanProvider<Router> router, @Value("${" + READ_TIMEOUT + ":60s}") Duration readTimeout,
                       @Value("${micronaut.server.netty.max-initial-line-length:4096}") int maxLine,
                       @Value("${micronaut.server.netty.max-header-size:8192}") int maxHeaders) {
        this.router = router;
        this.readTimeout = readTimeout;
        this.headLimits = new BodyGuard.HeadLimits(maxLine, maxHeaders);
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerConnection(null));
        return event.getBean();
    }

    /** The route's declared limit; a request no route takes may send no more than a JSON body. */
    long limitOf(HttpRequest head) {
        try {
            HttpMethod method = HttpMethod.parse(head.method().name());
            return router.get().<Object, Object>find(method, path(head.uri()), null).findFirst()
                    .map(RouteAccess::of).map(RouteAccess::maxBodyBytes).orElse(Allowed.JSON_BODY);
        } catch (RuntimeException e) {
            return Allowed.JSON_BODY; // a target the router cannot read is no route: Micronaut answers it
        }
    }

    /** The path of a request target as Micronaut reads it: raw, without the query. */
    private static String path(String target) {
        int start = 0;
        if (!target.startsWith("/")) {
            int scheme = target.indexOf("://");
            start = scheme < 0 ? 0 : Math.max(target.indexOf('/', scheme + 3), 0);
        }
        int end = target.length();
        for (char stop : new char[]{'?', '#'}) {
            int at = target.indexOf(stop, start);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return target.substring(start, end);
    }

    private final class PerConnection implements NettyServerCustomizer {

        private final Channel channel;

        PerConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new PerConnection(channel) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel != null && channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && channel.pipeline().get(BodyGuard.NAME) == null) {
                channel.pipeline().addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, BodyGuard.NAME,
                        new BodyGuard(BodyGuardInstaller.this::limitOf, readTimeout, headLimits));
            }
        }
    }
}
