package dev.quiver.runner.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.quiver.runner.failure.ErrorCode;
import dev.quiver.runner.internal.Json;
import dev.quiver.runner.failure.Failure;
import dev.quiver.runner.view.ContractJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * Counts each request body's bytes as they arrive, on one HTTP/1 connection, between Netty's codec and Micronaut.
 * Micronaut's own limit ({@code max-request-size}) is one number for the whole server; a route's limit is its own
 * ({@link Allowed#maxBodyBytes()}), and a chunked body has no Content-Length to check up front. Past the limit the
 * request gets 413; a body still arriving at the read deadline gets 408 (a byte a second keeps Netty's idle timeout
 * from ever firing). Either answer is the contract's error object, and the connection closes after it: Micronaut
 * never sees the rest of the body, so no controller runs on it.
 *
 * <p>A request line or headers over the codec's limits (Micronaut's {@code max-initial-line-length} and
 * {@code max-header-size}) get 414 or 431 here too, with the error object, instead of the 413 with a HAL body that
 * Micronaut would answer: the codec hands on a request it could not decode, which this guard answers and drops.
 */
final class BodyGuard extends ChannelDuplexHandler {

    /** The handler's name in the channel pipeline. */
    static final String NAME = "quiver-body-guard";

    private final ToLongFunction<HttpRequest> limitOf;
    private final long deadlineNanos;
    private final HeadLimits headLimits;
    private long requests;
    private long responses;
    private long limit;
    private long received;
    private boolean bodyPending;
    private boolean refused;
    private ScheduledFuture<?> deadline;
    private ScheduledFuture<?> headDeadline;
    private ChannelFuture answer;

    /**
     * @param limitOf      the body limit of a request, from its head
     * @param readDeadline how long a body may take, from its head to its last byte
     */
    BodyGuard(ToLongFunction<HttpRequest> limitOf, Duration readDeadline, HeadLimits headLimits) {
        this.limitOf = limitOf;
        this.deadlineNanos = readDeadline.toNanos();
        this.headLimits = headLimits;
    }

    /**
     * The codec's limits on a request's head, for the refusal's words.
     *
     * @param line    the most bytes of the request line (method, target, version)
     * @param headers the most bytes of the headers, all together
     */
    record HeadLimits(int line, int headers) {
    }

    /** The answer to a body over its route's limit. */
    static ApiException tooLarge(String size, long limit) {
        return new ApiException(413, Failure.of(ErrorCode.INVALID_INPUT, "the request body has " + size
                + "; this route takes at most " + limit + " bytes (" + (limit >> 20) + " MiB)",
                "Send a smaller body: split a batch into several, or shrink the plugin archive."));
    }

    /**
     * A connection must send a request's head within the read deadline too: from its opening, and from the end of
     * the last answer while it is kept alive. One that sends nothing, or its headers a line at a time, would
     * otherwise hold a connection until Micronaut's idle timeout (minutes), and many of them the service's files.
     */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        awaitHead(ctx);
        super.handlerAdded(ctx);
    }

    private void awaitHead(ChannelHandlerContext ctx) {
        cancelHeadDeadline();
        headDeadline = ctx.executor().schedule(() -> {
            if (ctx.channel().isActive() && responses == requests) {
                ctx.close(); // no request under way: nothing to answer
            }
        }, deadlineNanos, TimeUnit.NANOSECONDS);
    }

    private void cancelHeadDeadline() {
        if (headDeadline != null) {
            headDeadline.cancel(false);
            headDeadline = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest head && head.decoderResult().isFailure()
                && tooLongHead(ctx, head.decoderResult().cause())) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof HttpRequest head) {
            cancelHeadDeadline();
            requests++;
            received = 0;
            refused = false;
            limit = limitOf.applyAsLong(head);
            bodyPending = !(msg instanceof LastHttpContent) && (HttpUtil.isTransferEncodingChunked(head)
                    || HttpUtil.getContentLength(head, 0L) > 0);
            if (bodyPending) {
                deadline = ctx.executor().schedule(() -> late(ctx), deadlineNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (msg instanceof HttpContent content) {
            if (refused) {
                // The answer went; the rest is read and dropped so the client sees it, then the connection closes.
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    closeAfterAnswer(ctx);
                }
                return;
            }
            received += content.content().readableBytes();
            if (received > limit && responses < requests) {
                ReferenceCountUtil.release(msg);
                refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                        tooLarge("more than " + limit + " bytes", limit).failure(), false);
                if (msg instanceof LastHttpContent) {
                    closeAfterAnswer(ctx);
                }
                return;
            }
            if (msg instanceof LastHttpContent) {
                bodyComplete();
            }
        }
        ctx.fireChannelRead(msg);
    }

    /**
     * Answers a head the codec refused for its size: 414 for the request line, 431 for the headers, then closes (the
     * codec drops the rest of the request). Any other decoding failure is Micronaut's to answer.
     */
    private boolean tooLongHead(ChannelHandlerContext ctx, Throwable cause) {
        HttpResponseStatus status;
        Failure failure;
        if (cause instanceof TooLongHttpLineException) {
            status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
            failure = Failure.of(ErrorCode.INVALID_INPUT, "the request line is longer than the service takes ("
                    + headLimits.line() + " bytes)", "Send a shorter URI: a long value goes in a POST body, not in"
                    + " the path or the query.");
        } else if (cause instanceof TooLongHttpHeaderException) {
            status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            failure = Failure.of(ErrorCode.INVALID_INPUT, "the request's headers are larger than the service takes ("
                    + headLimits.headers() + " bytes in all)", "Send fewer or shorter headers.");
        } else {
            return false;
        }
        cancelHeadDeadline();
        requests++;
        refuse(ctx, status, failure, true);
        return true;
    }

    private void late(ChannelHandlerContext ctx) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (refused) {
            closeAfterAnswer(ctx); // the rest of a refused body is dropped until the deadline at most
            return;
        }
        if (bodyPending) {
            refuse(ctx, HttpResponseStatus.REQUEST_TIMEOUT, Failure.of(ErrorCode.INVALID_INPUT,
                    "the request body did not arrive within " + TimeUnit.NANOSECONDS.toSeconds(deadlineNanos)
                            + " s (" + received + " bytes came)",
                    "Send the whole body at once; a slow link can send a smaller one."), true);
        }
    }

    /**
     * Answers the request whose body is arriving. A body over its limit that was answered already (the access
     * filter's 401, 403 or 413) is not refused: Micronaut drops it as it comes, until the deadline. A late body that
     * was answered already, or one behind a pipelined request still unanswered, just closes the connection.
     */
    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, Failure failure, boolean closeNow) {
        bodyPending = false;
        refused = true;
        if (responses != requests - 1) {
            ctx.close();
            return;
        }
        responses++;
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(ContractJson.error(failure, null, List.of()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        answer = ctx.writeAndFlush(response);
        if (closeNow) {
            closeAfterAnswer(ctx);
        }
    }

    // Closing before the answer is on the wire could drop it.
    private void closeAfterAnswer(ChannelHandlerContext ctx) {
        if (answer == null) {
            ctx.close();
        } else {
            answer.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void bodyComplete() {
        bodyPending = false;
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (refused && msg instanceof HttpObject) {
            // Micronaut's own answer to a request this guard answered: the client has one already.
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL) {
            responses++;
        }
        if (msg instanceof LastHttpContent && responses == requests) {
            awaitHead(ctx); // kept alive: the next request's head has the same deadline
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bodyComplete();
        cancelHeadDeadline();
        super.channelInactive(ctx);
    }
}
