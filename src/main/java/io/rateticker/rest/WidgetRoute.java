package io.rateticker.rest;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.rateticker.Packaged;
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
    private static final Pattern INDENT = Pattern.compile("(?m)^[ \\t]+");
    private static final Pattern BLANK_OR_COMMENT_LINE = Pattern.compile("(?m)^(//.*)?\\n");

    private static final CharSequence JAVASCRIPT = HttpHeaders.createOptimized("text/javascript; charset=utf-8");
    private static final CharSequence VERSIONED = HttpHeaders.createOptimized("public, max-age=31536000, immutable");
    private static final CharSequence UNVERSIONED = HttpHeaders.createOptimized(
            "public, max-age=3600, stale-while-revalidate=86400");

    private final Body script;
    private final String version;

    WidgetRoute() {
        this.script = new Body(served(Packaged.text(RESOURCE)));
        this.version = script.etag().substring(1, script.etag().length() - 1);
    }

    /**
     * The script as served: without its indentation, its blank lines and its comments on lines of their own, which
     * are for its readers (a fifth of its size) and need no build step to take out. Nothing else is touched.
     */
    static byte[] served(String source) {
        return BLANK_OR_COMMENT_LINE.matcher(INDENT.matcher(source).replaceAll("")).replaceAll("").getBytes(StandardCharsets.UTF_8);
    }

    void register(@Observes Router router) {
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::serve);
    }

    void serve(RoutingContext rc) {
        HttpCaching.serve(rc, script, JAVASCRIPT, version.equals(rc.request().getParam("v")) ? VERSIONED : UNVERSIONED);
    }
}
