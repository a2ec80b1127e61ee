package io.rateticker.rest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS for a public read API: every origin may read (GET, HEAD) without credentials, answered with the constant
 * {@code Access-Control-Allow-Origin: *} on every answer, with or without an {@code Origin}, so that a shared cache
 * may give the one answer it fetched first to every site (an echoed origin would need {@code Vary: Origin}). The
 * admin API gets no CORS answer at all: a browser on another site cannot call it, and a request that carries an
 * {@code Origin} (any browser POST, Swagger UI's "Try it out") still reaches the token check, which is what protects
 * it.
 */
@ApplicationScoped
public class Cors {

    private static final String ADMIN = "/api/v1/admin/";
    private static final CharSequence ANY = HttpHeaders.createOptimized("*");
    private static final CharSequence EXPOSED = HttpHeaders.createOptimized("ETag, Cache-Control, Retry-After");
    private static final CharSequence METHODS = HttpHeaders.createOptimized("GET, HEAD, OPTIONS");
    /** What the widget and EventSource send: revalidation and resumption. */
    private static final CharSequence HEADERS = HttpHeaders.createOptimized(
            "accept, cache-control, if-none-match, last-event-id");
    private static final CharSequence DAY = HttpHeaders.createOptimized("86400");

    void register(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 3).handler(this::handle);
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (rc.normalizedPath().startsWith(ADMIN)) {
            rc.next();
            return;
        }
        rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, ANY);
        if (request.method() == HttpMethod.OPTIONS && request.getHeader(HttpHeaders.ORIGIN) != null
                && request.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD) != null) {
            rc.response().setStatusCode(204)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, METHODS)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, HEADERS)
                    .putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, DAY)
                    .end();
            return;
        }
        rc.response().putHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSED);
        rc.next();
    }
}
