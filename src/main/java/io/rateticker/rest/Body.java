package io.rateticker.rest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * A body rendered once and served many times, in both its encodings, each with its own strong ETag (they are two
 * representations: a cache must not validate one with the other's tag). {@code buffer} and {@code gzip} hold the bytes
 * off-heap, written as they are to every request: no copy per request, no compression per request. {@code gzip} is
 * null when compressing does not make the body smaller.
 */
record Body(byte[] json, String etag, Buffer buffer, Buffer gzip, String gzipEtag) {

    Body(byte[] json) {
        this(json, etag(json), gzip(json));
    }

    private Body(byte[] json, String etag, byte[] gzip) {
        this(json, etag, direct(json), gzip == null ? null : direct(gzip), gzipEtag(etag));
    }

    private static Buffer direct(byte[] bytes) {
        return Buffer.buffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
    }

    /** The gzip encoding of {@code bytes}, or null when it is not smaller. */
    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 32);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not thrown by streams in memory
        }
        return out.size() < bytes.length ? out.toByteArray() : null;
    }

    /** The strong ETag of the gzip representation of the body tagged {@code etag}, as Apache's mod_deflate has it. */
    static String gzipEtag(String etag) {
        return etag.substring(0, etag.length() - 1) + "-gzip\"";
    }

    /** Derived from the bytes alone, so that every replica gives the same data the same ETag. */
    static String etag(byte[] json) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json);
            return '"' + HexFormat.of().formatHex(digest, 0, 12) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
