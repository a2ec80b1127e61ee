package io.rateticker.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A bank that misbehaves at the socket level, which WireMock cannot: an endless chunked body, a declared 2 GB
 * document sent at full speed, one byte per second, or a small gzip body that inflates to 100 MB. It serves NBKR's
 * address; {@link #mode} says how it answers, and it records how many bytes the last connection took and when the
 * client let go of it.
 */
public class AbusiveBank implements QuarkusTestResourceLifecycleManager {

    public enum Mode { ENDLESS, HUGE, DRIP, BOMB }

    static volatile Mode mode = Mode.ENDLESS;
    static final AtomicLong sent = new AtomicLong();
    /** System.nanoTime() when the client closed the last connection, 0 while it is open. */
    static final AtomicLong closedAt = new AtomicLong();

    private ServerSocket server;

    @Override
    public Map<String, String> start() {
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "abusive-bank");
        acceptor.setDaemon(true);
        acceptor.start();
        return Map.of("ticker.sources.nbkr.enabled", "true", "ticker.sources.nbkr.schedule", "off",
                "ticker.sources.nbkr.url", "http://127.0.0.1:" + server.getLocalPort() + "/nbkr/daily.xml",
                "ticker.sources.retries", "0");
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread answer = new Thread(() -> answer(socket), "abusive-bank-answer");
                answer.setDaemon(true);
                answer.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answer(Socket socket) {
        sent.set(0);
        closedAt.set(0);
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            readHead(in);
            switch (mode) {
                case ENDLESS -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n");
                    byte[] chunk = chunk(new byte[16_384]);
                    while (true) {
                        write(out, chunk);
                    }
                }
                case HUGE -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 2147483648\r\n\r\n");
                    byte[] block = new byte[65_536];
                    Arrays.fill(block, (byte) ' ');
                    for (long left = 2_147_483_648L; left > 0; left -= block.length) {
                        write(out, block);
                    }
                }
                case DRIP -> {
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: 1000\r\n\r\n");
                    for (int i = 0; i < 1000; i++) {
                        write(out, new byte[] {' '});
                        Thread.sleep(1000);
                    }
                }
                case BOMB -> {
                    byte[] body = bomb();
                    write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Encoding: gzip\r\n"
                            + "Content-Length: " + body.length + "\r\n\r\n");
                    write(out, body);
                    in.read(); // hold the connection until the client lets go
                }
            }
        } catch (IOException | InterruptedException e) {
            // the client cut it off: what this bank is here to see
        } finally {
            closedAt.set(System.nanoTime());
        }
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the request ended");
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static byte[] chunk(byte[] data) {
        Arrays.fill(data, (byte) ' ');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** 100 MB of spaces, gzipped to about 100 KB. */
    private static byte[] bomb() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) ' ');
            for (int i = 0; i < 100; i++) {
                gzip.write(block);
            }
        }
        return bytes.toByteArray();
    }

    private static void write(OutputStream out, String text) throws IOException {
        write(out, text.getBytes(StandardCharsets.US_ASCII));
    }

    private static void write(OutputStream out, byte[] data) throws IOException {
        out.write(data);
        out.flush();
        sent.addAndGet(data.length);
    }
}
