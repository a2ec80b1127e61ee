package io.rateticker.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * Not a {@code @QuarkusTest}: a bare Vert.x server, on which what the fan-out takes from below Vert.x's public API
 * must still be there. A Vert.x upgrade that moves any of it fails here, not in a stream's bytes.
 */
class VertxInternalsTest {

    private Vertx vertx;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void aRequestHandlerFindsItsLoopItsSocketAndItsEncoder() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        server = vertx.createHttpServer().requestHandler(request -> {
            try {
                VertxInternals.Loop loop = VertxInternals.current();
                assertThat(loop.eventLoop().inEventLoop()).as("the loop of the handler's thread").isTrue();
                assertThat(loop.context().isEventLoopContext()).isTrue();
                VertxInternals.capSendBuffer(request, 16 * 1024);
                int sendBuffer = ((ConnectionBase) request.connection()).channel().config()
                        .getOption(ChannelOption.SO_SNDBUF);
                // Linux doubles what is asked for; elsewhere it may be taken as it is
                assertThat(sendBuffer).isBetween(16 * 1024, 32 * 1024);
                var encoder = VertxInternals.encoder(request);
                assertThat(encoder).as("the HTTP/1.1 encoder stage").isNotNull();
                request.response().setChunked(true).putHeader("Content-Type", "text/plain").write("");
                // a chunk written below the response reaches the client as it is
                encoder.writeAndFlush(Unpooled.copiedBuffer("5\r\nhello\r\n", StandardCharsets.US_ASCII));
                request.response().end();
                seen.complete("ok");
            } catch (Throwable e) {
                seen.completeExceptionally(e);
                request.response().setStatusCode(500).end();
            }
        });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                .actualPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
            assertThat(answer).startsWith("HTTP/1.1 200").contains("\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        }
    }
}
