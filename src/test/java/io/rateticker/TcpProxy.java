package io.rateticker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 to a local port that can go dark: once {@link #blackhole()} is called it forwards nothing
 * more in either direction and answers nothing, keeping every connection open, as a network partition or a
 * blackholing load balancer does to the connections through it (new connections are accepted and then hear nothing).
 * It can also {@link #cut()} every connection through it, and {@link #restore()} itself after going dark.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean dark;

    public TcpProxy(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public void blackhole() {
        dark = true;
    }

    /** Resets every connection through it, as a proxy or a network that drops them does; new ones go through. */
    public void cut() throws IOException {
        List<Socket> open = List.copyOf(sockets);
        sockets.removeAll(open);
        for (Socket socket : open) {
            socket.close();
        }
    }

    /** Back from dark: the connections it held are reset, and new ones go through again. */
    public synchronized void restore() throws IOException {
        // closed before the relays wake, so that no held connection passes a byte
        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
        dark = false;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                synchronized (this) {
                    sockets.add(client);
                    if (dark) {
                        continue;
                    }
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    /** Copies bytes from one socket to the other until either ends; once dark, reads on and drops what it reads. */
    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!dark) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                if (!dark) {
                    to.shutdownOutput();
                }
                while (dark && !to.isClosed()) {
                    Thread.sleep(100); // the other side hears no end either
                }
            } catch (IOException | InterruptedException e) {
                // a socket closed under it: the relay of this connection is over
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
