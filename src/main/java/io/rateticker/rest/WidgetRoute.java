package io.rateticker.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rateticker.service.Snapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
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

    private static final CharSequence JAVASCRIPT = HttpHeaders.createOptimized("text/javascript; charset=utf-8");
    private static final CharSequence VERSIONED = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
    private static final CharSequence UNVERSIONED = HttpHeaders.createOptimized(
            "public, max-age=3600, stale-while-revalidate=86400");

    private final Snapshot.Body script;
    private final String version;

    WidgetRoute() {
        try (InputStream in = Objects.requireNonNull(
                Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE), RESOURCE)) {
            this.script = new Snapshot.Body(in.readAllBytes());
            this.version = script.etag().substring(1, script.etag().length() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void register(@Observes Router router) {
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serve);
    }

    void serve(RoutingContext rc) {
        HttpCaching.serve(rc, script, JAVASCRIPT, version.equals(rc.request().getParam("v")) ? VERSIONED : UNVERSIONED);
    }
}
