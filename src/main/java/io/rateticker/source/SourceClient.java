package io.rateticker.source;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.rateticker.config.TickerConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * HTTP to the banks, each behind its own guard: a connect and a whole-request timeout, a size limit, retries with
 * exponential backoff for failures that may pass, and a circuit breaker (named {@code source-<id>}) that stops
 * calling a bank that keeps failing. Conditional GET: validators of the last document are sent, and 304 is an answer.
 */
@ApplicationScoped
public class SourceClient {

    /** A bank's answer: 200 with the document and its validators, or 304 (no body). */
    public record Response(int status, byte[] body, String etag, String lastModified) {
    }

    private final Vertx vertx;
    /**
     * Every exchange runs on this one event loop, so that a response is handed over on the thread that reads it:
     * its handlers are in place before its body arrives (handed over from another thread, a short answer could
     * end before them, and Vert.x then refuses them).
     */
    private final Context context;
    private final TickerConfig.Sources config;
    private final Map<String, TypedGuard<Response>> guards = new ConcurrentHashMap<>();
    /**
     * A client per bank with a single connection, kept alive: every request of a bank (latest, next day, backfill)
     * goes through it in turn, since NBKR drops clients after some twenty fresh TLS sessions. A connection the bank
     * has dropped is a failure that may pass, retried on a new one.
     */
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    SourceClient(Vertx vertx, TickerConfig config, Instance<RateSource> sources) {
        this.vertx = vertx;
        this.context = VertxContext.getRootContext(vertx.getOrCreateContext()); // not a request's duplicate
        this.config = config.sources();
        // Created up front, so that every breaker exists (and reports its state) before the first call.
        sources.forEach(source -> guards.put(source.id(), guard(source.id())));
    }

    private HttpClient client(String source) {
        return clients.computeIfAbsent(source, id -> vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setDecompressionSupported(true)
                .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(1)));
    }

    /**
     * GETs {@code url} for {@code source}, sending {@code If-None-Match} / {@code If-Modified-Since} when given.
     *
     * @throws FetchException for anything but 200 or 304, or no answer at all
     * @throws org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException while the breaker is open
     */
    public Response get(RateSource bank, String url, String etag, String lastModified) throws Exception {
        String accept = bank.mediaType() + ", */*;q=0.1";
        return guards.computeIfAbsent(bank.id(), this::guard).call(() -> {
            try {
                return exchange(client(bank.id()), url, accept, etag, lastModified);
            } catch (Redirected first) {
                // Within the bank's own host once (a moved path); to another host never: that is a captive portal
                // or an error page, whose 200 would be taken for the bank's answer.
                URI target;
                try {
                    target = URI.create(url).resolve(first.location);
                } catch (IllegalArgumentException e) {
                    throw new FetchException(first.getMessage() + ", which is no address: not followed", false);
                }
                if (!origin(target).equals(origin(URI.create(url)))) {
                    throw new FetchException(first.getMessage() + ", another host: not followed", false);
                }
                try {
                    return exchange(client(bank.id()), target.toString(), accept, etag, lastModified);
                } catch (Redirected again) {
                    throw new FetchException(again.getMessage() + " after " + url + " was redirected there: a "
                            + "redirect is followed once", false);
                }
            }
        });
    }

    /** A 3xx answer, which {@link #get} follows or refuses. */
    private static final class Redirected extends FetchException {

        private final String location;

        Redirected(int status, String url, String location) {
            super("HTTP " + status + " from " + url + ": redirected to " + location, false);
            this.location = location;
        }
    }

    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
    }

    /** closed, open or half-open. */
    public String circuit(String source) {
        CircuitBreakerState state = CircuitBreakerMaintenance.get().currentState(breaker(source));
        return state.name().toLowerCase().replace('_', '-');
    }

    /**
     * One request, cut off (connection reset) when the whole exchange outlasts the read timeout or the document
     * outgrows the size limit, so that a bank sending an endless, huge or dripping body holds neither memory nor a
     * connection. The limit counts decompressed bytes.
     */
    private Response exchange(HttpClient http, String url, String accept, String etag, String lastModified)
            throws FetchException {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setFollowRedirects(false).putHeader(HttpHeaders.USER_AGENT, config.userAgent())
                .putHeader(HttpHeaders.ACCEPT, accept);
        if (etag != null) {
            options.putHeader(HttpHeaders.IF_NONE_MATCH, etag);
        }
        if (lastModified != null) {
            options.putHeader(HttpHeaders.IF_MODIFIED_SINCE, lastModified);
        }
        int max = config.maxDocumentBytes();
        long timeout = config.readTimeout().toMillis();
        CompletableFuture<Response> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> current = new AtomicReference<>();
        long timer = vertx.setTimer(timeout, id -> {
            if (result.completeExceptionally(new FetchException("no answer from " + url + " in time (the whole "
                    + "document within " + config.readTimeout().toMillis() + " ms)", true))) {
                reset(current.get());
            }
        });
        context.runOnContext(start -> http.request(options).compose(request -> {
            current.set(request);
            return request.send();
        }).onSuccess(response -> {
            current.set(response.request());
            // Set first: a reset below fails the response, and without a handler Vert.x logs that at ERROR
            response.exceptionHandler(e -> result.completeExceptionally(new FetchException(describe(e, url), true)));
            int status = response.statusCode();
            if (status != 200 && status != 304) {
                // The error page is read to its end and dropped, so that the connection goes back to the pool whole
                // (a reset here would close a connection the pool may already have handed to the next request);
                // only one outgrowing the size limit is cut.
                String location = response.getHeader(HttpHeaders.LOCATION);
                FetchException failure = status / 100 == 3 && location != null ? new Redirected(status, url, location)
                        : new FetchException("HTTP " + status + " from " + url, status >= 500 || status == 429);
                long[] read = {0};
                response.handler(chunk -> {
                    read[0] += chunk.length();
                    if (read[0] > max && result.completeExceptionally(failure)) {
                        reset(response.request());
                    }
                });
                response.endHandler(v -> result.completeExceptionally(failure));
                return;
            }
            Buffer body = Buffer.buffer();
            response.handler(chunk -> {
                if (body.length() + chunk.length() > max) {
                    tooLarge(result, url, max, response.request());
                } else {
                    body.appendBuffer(chunk);
                }
            });
            response.endHandler(v -> result.complete(status == 304 ? new Response(304, new byte[0], etag, lastModified)
                    : new Response(200, body.getBytes(), response.getHeader("ETag"),
                            response.getHeader("Last-Modified"))));
        }).onFailure(e -> result.completeExceptionally(new FetchException(describe(e, url), true))));
        try {
            return result.get(timeout + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof FetchException f) {
                throw f;
            }
            throw new FetchException(describe(e.getCause(), url), true);
        } catch (java.util.concurrent.TimeoutException e) {
            reset(current.get());
            throw new FetchException("no answer from " + url + " in time", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reset(current.get());
            throw new FetchException("interrupted while fetching " + url, false);
        } finally {
            vertx.cancelTimer(timer);
        }
    }

    /** Not retried: the bank would send the same document again. */
    private static void tooLarge(CompletableFuture<Response> result, String url, int max, HttpClientRequest request) {
        if (result.completeExceptionally(new FetchException("the document from " + url + " is larger than "
                + max + " bytes (ticker.sources.max-document-bytes)", false))) {
            reset(request);
        }
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    private static String describe(Throwable e, String url) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return "cannot connect to " + url + ": " + cause.getMessage();
        }
        if (cause instanceof UnknownHostException) {
            return "cannot resolve the host of " + url + ": the name does not resolve (offline, or a wrong "
                    + "ticker.sources.<id>.url)";
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
