package io.rateticker.source;

import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.github.tomakehurst.wiremock.http.trafficlistener.WiremockNetworkTrafficListener;

/**
 * The connections {@link UpstreamStub} has accepted, each named by the bank its first request asked for (the first
 * segment of its path), as a bank's server would count the TLS sessions a client opens.
 */
public final class UpstreamConnections implements WiremockNetworkTrafficListener {

    private final Map<Socket, String> banks = new ConcurrentHashMap<>();

    /** How many connections have asked for this bank's documents so far. */
    public long count(String bank) {
        return banks.values().stream().filter(bank::equals).count();
    }

    @Override
    public void opened(Socket socket) {
    }

    @Override
    public void incoming(Socket socket, ByteBuffer bytes) {
        banks.computeIfAbsent(socket, s -> {
            String start = StandardCharsets.ISO_8859_1.decode(bytes.duplicate()).toString();
            // "GET /nbkr/daily.xml HTTP/1.1"
            String[] line = start.split(" ", 3);
            return line.length < 2 ? "" : line[1].replaceFirst("^/([^/?]*).*", "$1");
        });
    }

    @Override
    public void outgoing(Socket socket, ByteBuffer bytes) {
    }

    @Override
    public void closed(Socket socket) {
    }
}
