package io.rateticker.source;

import java.net.ConnectException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.rateticker.config.TickerConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * HTTP to the banks, each behind its own guard: a connect and a whole-request timeout, retries with exponential
 * backoff for failures that may pass, and a circuit breaker (named {@code source-<id>}) that stops calling a bank
 * that keeps failing. Conditional GET: validators of the last document are sent, and 304 is an answer.
 */
@ApplicationScoped
public class SourceClient {

    /** A bank's answer: 200 with the document and its validators, or 304 (no body). */
    public record Response(int status, byte[] body, String etag, String lastModified) {
    }

    private final WebClient web;
    private final TickerConfig.Sources config;
    private final Map<String, TypedGuard<Response>> guards = new ConcurrentHashMap<>();

    SourceClient(Vertx vertx, TickerConfig config, Instance<RateSource> sources) {
        this.config = config.sources();
        this.web = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) this.config.connectTimeout().toMillis())
                .setUserAgent(this.config.userAgent())
                .setTryUseCompression(true)
                .setFollowRedirects(true));
        // Created up front, so that every breaker exists (and reports its state) before the first call.
        sources.forEach(source -> guards.put(source.id(), guard(source.id())));
    }

    /**
     * GETs {@code url} for {@code source}, sending {@code If-None-Match} / {@code If-Modified-Since} when given.
     *
     * @throws FetchException for anything but 200 or 304, or no answer at all
     * @throws org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException while the breaker is open
     */
    public Response get(String source, String url, String etag, String lastModified) throws Exception {
        return guards.computeIfAbsent(source, this::guard).call(() -> exchange(url, etag, lastModified));
    }

    /** closed, open or half-open. */
    public String circuit(String source) {
        CircuitBreakerState state = CircuitBreakerMaintenance.get().currentState(breaker(source));
        return state.name().toLowerCase().replace('_', '-');
    }

    private Response exchange(String url, String etag, String lastModified) throws FetchException {
        HttpRequest<Buffer> request = web.getAbs(url).timeout(config.readTimeout().toMillis());
        if (etag != null) {
            request.putHeader(HttpHeaders.IF_NONE_MATCH.toString(), etag);
        }
        if (lastModified != null) {
            request.putHeader(HttpHeaders.IF_MODIFIED_SINCE.toString(), lastModified);
        }
        HttpResponse<Buffer> response;
        try {
            response = request.send().await().atMost(config.readTimeout().plusSeconds(1));
        } catch (RuntimeException e) {
            throw new FetchException(describe(e, url), true);
        }
        int status = response.statusCode();
        if (status == 200) {
            Buffer body = response.body();
            return new Response(200, body == null ? new byte[0] : body.getBytes(), response.getHeader("ETag"),
                    response.getHeader("Last-Modified"));
        }
        if (status == 304) {
            return new Response(304, new byte[0], etag, lastModified);
        }
        throw new FetchException("HTTP " + status + " from " + url, status >= 500 || status == 429);
    }

    private static String describe(Throwable e, String url) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return "cannot connect to " + url + ": " + cause.getMessage();
        }
        if (cause instanceof TimeoutException || cause instanceof io.smallrye.mutiny.TimeoutException
                || String.valueOf(cause.getMessage()).contains("timeout")) {
            return "no answer from " + url + " in time";
        }
        return "request to " + url + " failed: " + cause;
    }

    private TypedGuard<Response> guard(String source) {
        return TypedGuard.create(Response.class)
                .withRetry()
                    .maxRetries(config.retries())
                    .delay(config.retryDelay().toMillis(), ChronoUnit.MILLIS)
                    .whenException(SourceClient::retryable)
                    .withExponentialBackoff().factor(2).done()
                    .done()
                .withCircuitBreaker()
                    .name(breaker(source))
                    .requestVolumeThreshold(4)
                    .failureRatio(0.75)
                    .delay(config.breakerDelay().toMillis(), ChronoUnit.MILLIS)
                    .when(SourceClient::retryable)
                    .done()
                .build();
    }

    private static boolean retryable(Throwable e) {
        return e instanceof FetchException f && f.retryable();
    }

    private static String breaker(String source) {
        return "source-" + source;
    }
}
