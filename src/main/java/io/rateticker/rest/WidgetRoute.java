package io.rateticker.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rateticker.service.Snapshot;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /widget/rate-ticker.js}: cached by browsers and CDNs for an hour and revalidated by ETag after that,
 * so a new version reaches every page within the hour; {@code ?v=<etag>} is the versioned URL, cached for a year.
 */
@ApplicationScoped
public class WidgetRoute {

    static final String PATH = "/widget/rate-ticker.js";
    private static final String RESOURCE = "widget/rate-ticker.js";

    private final Buffer script;
    private final String etag;
    private final String version;

    WidgetRoute() {
        try (InputStream in = Objects.requireNonNull(
                Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE), RESOURCE)) {
            byte[] bytes = in.readAllBytes();
            this.script = Buffer.buffer(bytes);
            this.etag = Snapshot.etag(bytes);
            this.version = etag.substring(1, etag.length() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(@Observes Router router) {
        router.get(PATH).handler(this::serve);
    }

    void serve(RoutingContext rc) {
        boolean versioned = version.equals(rc.request().getParam("v"));
        rc.response()
                .putHeader(HttpHeaders.ETAG, etag)
                .putHeader(HttpHeaders.CACHE_CONTROL, versioned ? "public, max-age=31536000, immutable"
                        : "public, max-age=3600, stale-while-revalidate=86400");
        if (Etags.matches(rc.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            rc.response().setStatusCode(304).end();
            return;
        }
        rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8").end(script);
    }
}
