package io.rateticker.rest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;
import io.rateticker.config.TickerConfig;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who a request comes from, for the per-address limits (streams, rebuilds, wrong admin tokens). Without trusted
 * proxies ({@code ticker.http.trusted-proxies}, empty by default) it is the TCP peer. When the peer is a trusted proxy,
 * it is the right-most address of {@code X-Forwarded-For} (else of {@code Forwarded}'s {@code for=}) that is not a
 * trusted proxy: proxies append, so whatever stands left of the last untrusted hop was written by the client itself.
 * An IPv6 client counts by its /64, which one subscriber usually holds whole.
 */
@Startup // a wrong range stops the start, not the first request
@ApplicationScoped
public class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern FORWARDED_FOR = Pattern.compile("(?i)for=\"?([^;,\"]*)\"?");

    /** A CIDR range, address bytes and prefix length. */
    record Range(byte[] address, int prefix) {

        static Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            InetAddress address = literal(slash < 0 ? cidr.trim() : cidr.substring(0, slash).trim());
            if (address == null) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR range");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(cidr.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + cidr + "' has no prefix length from 0 to " + bits);
            }
            return new Range(address.getAddress(), prefix);
        }

        boolean contains(InetAddress candidate) {
            byte[] bytes = candidate.getAddress();
            if (bytes.length != address.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit += 8) {
                int mask = prefix - bit >= 8 ? 0xff : (0xff << (8 - (prefix - bit))) & 0xff;
                if ((bytes[bit / 8] & mask) != (address[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Range> trusted;

    ClientAddress(TickerConfig config) {
        try {
            this.trusted = config.http().trustedProxies().orElse(List.of()).stream().map(Range::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid configuration: ticker.http.trusted-proxies: " + e.getMessage());
        }
    }

    /** The key the per-address limits count by. */
    public String of(HttpServerRequest request) {
        String peer = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
        InetAddress client = literal(peer);
        if (client != null && isTrusted(client)) {
            List<String> chain = chain(request);
            for (int i = chain.size() - 1; i >= 0; i--) {
                InetAddress hop = literal(chain.get(i));
                if (hop == null) {
                    break; // garbage where an address should be: the last good hop is as far as can be believed
                }
                client = hop;
                if (!isTrusted(hop)) {
                    break;
                }
            }
        }
        return client == null ? peer : key(client);
    }

    private boolean isTrusted(InetAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }

    /** The forwarded-for addresses, left (the first hop) to right (the last proxy's peer). */
    private static List<String> chain(HttpServerRequest request) {
        List<String> chain = new ArrayList<>();
        for (String header : request.headers().getAll("X-Forwarded-For")) {
            for (String hop : header.split(",")) {
                chain.add(hop.trim());
            }
        }
        if (chain.isEmpty()) {
            for (String header : request.headers().getAll("Forwarded")) {
                Matcher forwarded = FORWARDED_FOR.matcher(header);
                while (forwarded.find()) {
                    chain.add(forwarded.group(1).trim());
                }
            }
        }
        return chain.stream().map(ClientAddress::withoutPort).toList();
    }

    /** {@code [2001:db8::1]:4711} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
    private static String withoutPort(String hop) {
        if (hop.startsWith("[")) {
            int end = hop.indexOf(']');
            return end < 0 ? hop : hop.substring(1, end);
        }
        int colon = hop.indexOf(':');
        return colon > 0 && colon == hop.lastIndexOf(':') ? hop.substring(0, colon) : hop;
    }

    /** IPv4 as it is; IPv6 by its /64 (written {@code 2001:db8:1:2::/64}). */
    static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            StringBuilder key = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                key.append(Integer.toHexString(((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff))).append(':');
            }
            return key.append(":/64").toString();
        }
        return address.getHostAddress();
    }

    /** The address an IP literal writes, or null; never a name lookup (a forwarded header is the client's text). */
    static InetAddress literal(String text) {
        try {
            Matcher v4 = IPV4.matcher(text);
            if (v4.matches()) {
                byte[] bytes = new byte[4];
                for (int i = 0; i < 4; i++) {
                    int octet = Integer.parseInt(v4.group(i + 1));
                    if (octet > 255) {
                        return null;
                    }
                    bytes[i] = (byte) octet;
                }
                return InetAddress.getByAddress(bytes);
            }
            // in brackets, an invalid IPv6 literal is an error, not a host name to resolve
            return IPV6.matcher(text).matches() ? InetAddress.getByName("[" + text + "]") : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
