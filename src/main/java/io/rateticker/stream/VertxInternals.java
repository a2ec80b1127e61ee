package io.rateticker.stream;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * All the fan-out takes from below Vert.x's public API, in one place: the Netty event loop of a context, a
 * connection's channel and its HTTP/1.1 encoder stage ({@code VertxInternalsTest} fails if any of it changes).
 */
final class VertxInternals {

    /** The event loop a connection lives on, and the Vert.x context that runs tasks on it. */
    record Loop(EventLoop eventLoop, Context context) {
    }

    private VertxInternals() {
    }

    /** The loop of the current event-loop thread (a request handler's): its base context, not a duplicate. */
    static Loop current() {
        ContextInternal context = ((ContextInternal) Vertx.currentContext()).unwrap();
        return new Loop(context.nettyEventLoop(), context);
    }

    /**
     * Sets the connection's kernel send buffer (SO_SNDBUF). HTTP/1.1 only: an HTTP/2 connection carries other requests
     * too.
     */
    static void capSendBuffer(HttpServerRequest request, int bytes) {
        if (request.connection() instanceof ConnectionBase connection && request.version() != HttpVersion.HTTP_2) {
            connection.channel().config().setOption(ChannelOption.SO_SNDBUF, bytes);
        }
    }

    /**
     * The pipeline context of the connection's HTTP/1.1 encoder ({@code "httpEncoder"}), or null (HTTP/2 frames its
     * data itself). Bytes written there pass to the socket as they are, below the response's bookkeeping and the
     * compressor.
     */
    static ChannelHandlerContext encoder(HttpServerRequest request) {
        return request.connection() instanceof ConnectionBase connection && request.version() != HttpVersion.HTTP_2
                ? connection.channelHandlerContext().pipeline().context("httpEncoder") : null;
    }
}
