package io.rateticker.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.rateticker.Admin;
import io.rateticker.OpenApiContract;
import io.rateticker.SseClient;
import io.rateticker.TestClock;
import io.rateticker.source.Specimens;
import io.restassured.path.json.JsonPath;

/**
 * The served OpenAPI document against the service's real answers: every operation, every status the document lists
 * for it (the few this application cannot be brought to are named below, with the test that shows them), each body
 * valid against its schema, each listed header present, and the stream's events against their schemas.
 */
@QuarkusTest
@TestProfile(TightLimits.class)
class OpenApiTest {

    /** What the document lists that this application cannot answer, and where each is checked instead. */
    private static final Set<String> ELSEWHERE = Set.of(
            // "rates are still being loaded": the moments between the HTTP server's start and the store's load,
            // which a started test application is past (readiness is DOWN then: HealthTest)
            "getRates 503", "getRate 503", "getHistory 503", "getTimeseries 503", "convert 503", "listCurrencies 503", "listSources 503",
            // the store down: DatabaseOutageIT checks these answers against the document
            "postRates 503", "feedDocument 503", "releaseRejection 503", "deleteObservation 503");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final String BEARER = "Bearer " + Admin.TOKEN;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyOperationAnswersAsTheServedDocumentSays() throws Exception {
        OpenApiContract api = OpenApiContract.of(root.toURI());
        reads(api);
        stream(api);
        admin(api);

        Set<String> unchecked = new TreeSet<>(api.documented());
        unchecked.removeAll(api.checked());
        assertThat(unchecked).as("listed in the document, shown by no answer here")
                .containsExactlyInAnyOrderElementsOf(ELSEWHERE);
        assertThat(get("/q/swagger-ui/", Map.of()).statusCode()).isEqualTo(200);
    }

    /** The document's own promises that tools rely on: ids, security, and no internal type. */
    @Test
    void everyOperationHasAnIdItsSecurityAndNoInternalType() throws URISyntaxException {
        OpenApiContract api = OpenApiContract.of(root.toURI());
        var doc = api.document();
        assertThat(doc.path("security").isArray() && doc.path("security").isEmpty()).as("public by default").isTrue();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            String what = op.getKey() + " " + path.getKey();
            assertThat(op.getValue().path("operationId").asText()).as(what).isNotBlank();
            boolean admin = path.getKey().startsWith("/api/v1/admin/");
            assertThat(op.getValue().path("security").toString()).as(what)
                    .isEqualTo(admin ? "[{\"adminToken\":[]}]" : "");
        }));
        assertThat(doc.toString()).doesNotContain("HttpServerRequest");
    }

    /**
     * The document lists exactly the query parameters each path takes: the service names them in its refusal of an
     * unknown one, derived from the resources' methods and the routes' declared lists, whatever the document says.
     */
    @Test
    void everyOperationListsExactlyTheQueryParametersItsPathTakes() throws URISyntaxException {
        var doc = OpenApiContract.of(root.toURI()).document();
        Map<String, String> samples = Map.of("{currency}", "KGS", "{id}", "nbk", "{source}", "nbk", "{asOf}", "2020-01-17");
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            Set<String> documented = new TreeSet<>();
            op.getValue().path("parameters").forEach(parameter -> {
                String ref = parameter.path("$ref").asText();
                var resolved = ref.isEmpty() ? parameter
                        : doc.path("components").path("parameters").path(ref.substring(ref.lastIndexOf('/') + 1));
                if (resolved.path("in").asText().equals("query")) {
                    documented.add(resolved.path("name").asText());
                }
            });
            String concrete = path.getKey();
            for (var sample : samples.entrySet()) {
                concrete = concrete.replace(sample.getKey(), sample.getValue());
            }
            HttpResponse<String> refused = send(op.getKey().toUpperCase(Locale.ROOT),
                    concrete + "?not-a-parameter=1", auth(), op.getKey().equals("get") ? null : "");
            assertThat(refused.statusCode()).as(op.getKey() + " " + path.getKey()).isEqualTo(400);
            String detail = JsonPath.from(refused.body()).getString("detail");
            String takes = detail.substring(detail.lastIndexOf(" takes ") + " takes ".length());
            assertThat(takes.equals("none") ? Set.of() : new TreeSet<>(List.of(takes.split(", "))))
                    .as("the query parameters of %s %s", op.getKey(), path.getKey()).isEqualTo(documented);
        }));
    }

    private void reads(OpenApiContract api) {
        Map<String, String> reads = Map.of("/api/v1/rates", "/api/v1/rates?symbols=KGS,TJS",
                "/api/v1/rates/{currency}", "/api/v1/rates/KGS",
                "/api/v1/rates/{currency}/history", "/api/v1/rates/KZT/history?from=2026-03-25&to=2026-04-05",
                "/api/v1/convert", "/api/v1/convert?from=KZT&to=UZS&amount=1000",
                "/api/v1/currencies", "/api/v1/currencies",
                "/api/v1/sources", "/api/v1/sources",
                "/api/v1/timeseries", "/api/v1/timeseries?symbols=KZT,KGS&from=2026-03-01&to=2026-04-30");
        reads.forEach((template, path) -> {
            HttpResponse<String> ok = get(path, Map.of());
            api.check("GET", template, ok);
            api.check("GET", template, get(path, Map.of("If-None-Match", ok.headers().firstValue("ETag").orElseThrow())));
            api.check("GET", template, get(path + (path.contains("?") ? "&" : "?") + "base=EUR", Map.of()));
            api.check("GET", template, get(path, Map.of("Accept", "text/html")));
        });
        // (the history above starts with KZT's first date, whose change is null) a range with no rate; a conversion
        // from USD to USD, which uses no rate
        api.check("GET", "/api/v1/rates/{currency}/history", get("/api/v1/rates/KGS/history?from=2000-01-01&to=2000-12-31", Map.of()));
        api.check("GET", "/api/v1/convert", get("/api/v1/convert?from=USD&to=USD&amount=1", Map.of()));
        // the rates on a date, and before any
        api.check("GET", "/api/v1/rates", get("/api/v1/rates?date=2026-04-04", Map.of()));
        api.check("GET", "/api/v1/rates", get("/api/v1/rates?date=2000-01-01", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}", get("/api/v1/rates/KZT?date=2026-04-04", Map.of()));
        api.check("GET", "/api/v1/convert", get("/api/v1/convert?from=KZT&to=USD&amount=1&date=2026-04-04", Map.of()));
        api.check("GET", "/api/v1/convert", get("/api/v1/convert?from=KZT&to=USD&amount=1&date=2000-01-01", Map.of()));
        // the history's other formats, by format= and by Accept
        String history = "/api/v1/rates/KZT/history?from=2026-03-25&to=2026-04-05";
        api.check("GET", "/api/v1/rates/{currency}/history", get(history + "&format=csv", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}/history", get(history, Map.of("Accept", "application/x-ndjson")));
        // against another base: the dollar in tenge and crosses, now and on a date
        api.check("GET", "/api/v1/rates", get("/api/v1/rates?base=KZT", Map.of()));
        api.check("GET", "/api/v1/rates", get("/api/v1/rates?base=KZT&date=2026-04-04", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}", get("/api/v1/rates/USD?base=KZT", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}", get("/api/v1/rates/KGS?base=KZT", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}/history", get("/api/v1/rates/USD/history?base=KZT&from=2026-03-25"
                + "&to=2026-04-05", Map.of()));
        api.check("GET", "/api/v1/timeseries", get("/api/v1/timeseries?base=KZT&from=2026-03-01&to=2026-05-31"
                + "&group=week", Map.of()));
        api.check("GET", "/api/v1/timeseries", get("/api/v1/timeseries?base=KZT&from=2026-03-01&to=2026-05-31"
                + "&format=ndjson", Map.of()));
        // the series by week, and in the other formats
        String series = "/api/v1/timeseries?symbols=KZT,KGS&from=2026-03-01&to=2026-04-30";
        api.check("GET", "/api/v1/timeseries", get(series + "&group=week", Map.of()));
        api.check("GET", "/api/v1/timeseries", get(series + "&group=month&format=ndjson", Map.of()));
        api.check("GET", "/api/v1/timeseries", get(series, Map.of("Accept", "application/x-ndjson")));
        api.check("GET", "/api/v1/timeseries", get(series + "&format=csv", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}", get("/api/v1/rates/EUR", Map.of()));
        api.check("GET", "/api/v1/rates/{currency}/history", get("/api/v1/rates/EUR/history", Map.of()));
    }

    private void stream(OpenApiContract api) throws Exception {
        String template = "/api/v1/stream";
        URI uri = URI.create(root.toString() + "api/v1/stream?symbols=KGS,TJS");
        try (SseClient first = SseClient.open(uri, Map.of("X-Forwarded-For", "10.1.1.1"))) {
            api.check("GET", template, first.response());
            SseClient.Event snapshot = next(first, "snapshot");
            api.checkEvent("snapshot", snapshot.data());
            api.checkEvent("ping", next(first, "ping").data());
            post("/api/v1/admin/rates", Map.of("Content-Type", "application/json"), "{\"source\":\"manual\",\"rates\":[{"
                    + "\"currency\":\"KGS\",\"asOf\":\"" + TestClock.LATEST_AS_OF + "\",\"perUsd\":87.3}]}");
            api.checkEvent("rate", next(first, "rate").data());
            Map<String, String> stream = Map.of("Accept", "text/event-stream", "X-Forwarded-For", "10.1.1.1");
            api.check("GET", template, get("/api/v1/stream", stream)); // one per address: 429
            try (SseClient second = SseClient.open(uri, Map.of("X-Forwarded-For", "10.1.1.2"))) {
                api.check("GET", template, second.response());
                api.check("GET", template, get("/api/v1/stream", Map.of("Accept", "text/event-stream",
                        "X-Forwarded-For", "10.1.1.3"))); // two in all: 503
            }
        }
        api.check("GET", template, get("/api/v1/stream?symbol=KGS", Map.of("Accept", "text/event-stream")));
        api.check("GET", template, get("/api/v1/stream", Map.of("Accept", "application/json")));
    }

    private static SseClient.Event next(SseClient client, String name) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            SseClient.Event event = client.next(Duration.ofSeconds(10));
            assertThat(event).as("a '%s' event", name).isNotNull();
            if (name.equals(event.name())) {
                return event;
            }
        }
        throw new AssertionError("no '" + name + "' event among the first 20");
    }

    private void admin(OpenApiContract api) {
        String rates = "/api/v1/admin/rates";
        String refresh = "/api/v1/admin/refresh";
        String documents = "/api/v1/admin/sources/{id}/documents";
        String rejections = "/api/v1/admin/rejections";
        String release = "/api/v1/admin/rejections/{source}/{currency}/{asOf}/release";
        String observation = "/api/v1/admin/observations/{source}/{currency}/{asOf}";
        Map<String, String> json = Map.of("Content-Type", "application/json");

        // successes, on dates long past so that nothing served changes: a value by hand, a bank's document, one of
        // its values held back for a jump, then released
        api.check("POST", rates, post(rates, json, "{\"source\":\"manual-openapi\",\"rates\":[{\"currency\":\"KGS\","
                + "\"asOf\":\"2020-01-15\",\"perUsd\":85.5}]}"));
        api.check("POST", documents, post("/api/v1/admin/sources/nbk/documents", Map.of(),
                new String(Specimens.nbk("16.01.2020", "450.10"), StandardCharsets.UTF_8)));
        HttpResponse<String> held = post("/api/v1/admin/sources/nbk/documents", Map.of(),
                new String(Specimens.nbk("17.01.2020", "900.00"), StandardCharsets.UTF_8));
        assertThat(held.body()).contains("\"outcome\":\"rejected\"");
        api.check("POST", documents, held);
        api.check("GET", rejections, get(rejections, auth()));
        api.check("POST", release, post("/api/v1/admin/rejections/nbk/KZT/2020-01-17/release", Map.of(), ""));
        api.check("POST", release, post("/api/v1/admin/rejections/nbk/KZT/2020-01-17/release", Map.of(), "")); // 409
        api.check("POST", release, post("/api/v1/admin/rejections/nbk/KZT/2020-01-18/release", Map.of(), "")); // 404
        api.check("POST", release, post("/api/v1/admin/rejections/nbk/KZT/someday/release", Map.of(), "")); // 400
        api.check("POST", refresh, post(refresh, Map.of(), "")); // every enabled source: none here
        api.check("POST", refresh, post(refresh + "?source=nope", Map.of(), ""));
        api.check("POST", refresh, post(refresh + "?source=nbkr", Map.of(), "")); // disabled: 409
        for (String asOf : List.of("2020-01-16", "2020-01-17")) {
            api.check("DELETE", observation, send("DELETE", "/api/v1/admin/observations/nbk/KZT/" + asOf, auth(), ""));
        }
        api.check("DELETE", observation, send("DELETE", "/api/v1/admin/observations/manual-openapi/KGS/2020-01-15",
                auth(), ""));
        api.check("DELETE", observation, send("DELETE", "/api/v1/admin/observations/nbk/KZT/2020-01-16", auth(), ""));
        api.check("DELETE", observation, send("DELETE", "/api/v1/admin/observations/nbk/KZT/someday", auth(), ""));

        // the body's faults
        api.check("POST", rates, post(rates, json, ""));
        api.check("POST", rates, post(rates, Map.of("Content-Type", "text/plain"), "KGS 87.45"));
        api.check("POST", rates, post(rates, json, "{\"rates\":[" + "{},".repeat(25_000) + "{}]}"));
        api.check("POST", documents, post("/api/v1/admin/sources/nbk/documents", Map.of(), "not a document"));
        api.check("POST", documents, post("/api/v1/admin/sources/nope/documents", Map.of(), "<rates/>"));
        api.check("POST", documents, post("/api/v1/admin/sources/nbk/documents", Map.of(), "x".repeat(70_000)));

        // every operation: an unknown parameter, an Accept it cannot answer, no token, a wrong token, and the
        // lockout after too many wrong ones (each from an address of its own, so that the others stay unlocked)
        Map<String, String> paths = Map.of(rates, rates, refresh, refresh,
                documents, "/api/v1/admin/sources/nbk/documents", rejections, rejections,
                release, "/api/v1/admin/rejections/nbk/KZT/2020-01-17/release",
                observation, "/api/v1/admin/observations/nbk/KZT/2020-01-17");
        for (int i = 0; i < 4; i++) { // one more than the profile allows
            send("POST", refresh, Map.of("Authorization", "Bearer wrong", "X-Forwarded-For", "10.9.9.9"), "");
        }
        int[] guesser = {0};
        paths.forEach((template, path) -> {
            String method = template.equals(rejections) ? "GET" : template.equals(observation) ? "DELETE" : "POST";
            // a wrong token from an address of each operation's own, so that none is locked out by the others' tries
            String wrong = "10.8.8." + ++guesser[0];
            api.check(method, template, send(method, path + "?x=1", auth(), ""));
            Map<String, String> html = new HashMap<>(auth());
            html.put("Accept", "text/html");
            api.check(method, template, send(method, path, html, ""));
            api.check(method, template, send(method, path, Map.of("X-Forwarded-For", "10.7.7.7"), ""));
            api.check(method, template, send(method, path, Map.of("Authorization", "Bearer wrong",
                    "X-Forwarded-For", wrong), ""));
            api.check(method, template, send(method, path, Map.of("Authorization", BEARER,
                    "X-Forwarded-For", "10.9.9.9"), ""));
        });
    }

    private static Map<String, String> auth() {
        return Map.of("Authorization", BEARER);
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) {
        return send("GET", path, headers, null);
    }

    private HttpResponse<String> post(String path, Map<String, String> headers, String body) {
        Map<String, String> all = new HashMap<>(auth());
        all.putAll(headers);
        return send("POST", path, all, body);
    }

    private HttpResponse<String> send(String method, String path, Map<String, String> headers, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString() + path.substring(1)))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
