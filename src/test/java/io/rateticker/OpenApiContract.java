package io.rateticker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The OpenAPI document a running service serves, as the oracle of its answers: a real answer of an operation must be
 * one of the responses the document lists for it, in a media type it lists, with a body valid against the listed
 * schema (JSON Schema 2020-12, formats asserted) and every header it lists. Records which operation and status
 * pairs were checked, so that a test can tell what the document lists that no answer has shown.
 */
public final class OpenApiContract {

    private static final String DOC = "https://rate-ticker.invalid/schemas.json";
    private static final String SCHEMAS = "#/components/schemas/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonNode doc;
    private final SchemaRegistry schemas;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();
    private final AtomicInteger inline = new AtomicInteger();

    private OpenApiContract(String json) throws IOException {
        this.doc = JSON.readTree(json);
        // The document's schemas as the $defs of one JSON Schema, so that the validator sees no OpenAPI keyword
        ObjectNode defs = JSON.createObjectNode();
        defs.set("$defs", absolute(doc.path("components").path("schemas").deepCopy()));
        this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(Map.of(DOC, defs.toString()))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
    }

    /** The document served by the service at {@code base} (ending in '/'). */
    public static OpenApiContract of(URI base) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(base.resolve("q/openapi?format=json"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET /q/openapi").isEqualTo(200);
            return new OpenApiContract(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode document() {
        return doc;
    }

    /** Every "operationId status" pair the document lists. */
    public Set<String> documented() {
        Set<String> pairs = new TreeSet<>();
        doc.path("paths").forEach(path -> path.forEach(operation -> operation.path("responses").fieldNames()
                .forEachRemaining(status -> pairs.add(operation.path("operationId").asText() + " " + status))));
        return pairs;
    }

    /** The "operationId status" pairs checked so far. */
    public Set<String> checked() {
        return new TreeSet<>(checked);
    }

    /**
     * Checks a real answer to {@code method} on the path {@code template} (as the document spells it); a body that is
     * not a string (a stream's) is not read.
     */
    public void check(String method, String template, HttpResponse<?> answer) {
        JsonNode operation = doc.path("paths").path(template).path(method.toLowerCase(Locale.ROOT));
        assertThat(operation.isObject()).as("the document has no %s %s", method, template).isTrue();
        String status = String.valueOf(answer.statusCode());
        String body = answer.body() instanceof String text ? text : null;
        String what = method + " " + answer.uri() + " → " + status + (body == null ? "" : " " + body);
        JsonNode response = resolve(operation.path("responses").path(status));
        assertThat(response.isObject()).as("%s: the document lists no %s for %s %s", what, status, method, template)
                .isTrue();
        JsonNode content = response.path("content");
        if (content.isEmpty()) {
            if (body != null) {
                assertThat(body).as("%s: the document lists no body", what).isEmpty();
            }
        } else {
            String type = answer.headers().firstValue("Content-Type").map(OpenApiContract::mediaType).orElse("");
            JsonNode media = content.has(type) ? content.get(type) : content.path("*/*");
            assertThat(media.isObject()).as("%s: %s is not among the documented %s", what, type, names(content))
                    .isTrue();
            if (type.equals("application/x-ndjson") && body != null) {
                JsonNode line = media.path("x-item-schema");
                assertThat(line.isObject()).as("%s: the document gives no x-item-schema for its lines", what).isTrue();
                body.lines().forEach(each -> validate(line, each, what + ", line " + each));
            } else if (type.endsWith("json") && body != null) {
                validate(media.path("schema"), body, what);
            }
        }
        for (Iterator<String> headers = response.path("headers").fieldNames(); headers.hasNext();) {
            String header = headers.next();
            assertThat(answer.headers().firstValue(header)).as("%s: the documented header %s", what, header)
                    .isPresent();
        }
        checked.add(operation.path("operationId").asText() + " " + status);
    }

    /** Checks the data of a stream event against the schema the document gives that event's name. */
    public void checkEvent(String event, String data) {
        JsonNode schema = doc.path("paths").path("/api/v1/stream").path("get").path("responses").path("200")
                .path("content").path("text/event-stream").path("x-sse-events").path(event);
        assertThat(schema.isObject()).as("the document describes no stream event '%s'", event).isTrue();
        validate(schema, data, "stream event " + event + ": " + data);
    }

    private void validate(JsonNode schemaNode, String body, String what) {
        Schema schema = schemas.getSchema(SchemaLocation.of(DOC + "/inline/" + inline.incrementAndGet()),
                absolute(schemaNode.deepCopy()));
        List<Error> errors = schema.validate(body, InputFormat.JSON);
        assertThat(errors).as("%s: not valid against the documented schema %s", what, schemaNode).isEmpty();
    }

    /** References to the document's schemas made absolute, to where the validator holds them. */
    private static JsonNode absolute(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.asText().startsWith(SCHEMAS)) {
                object.set("$ref", TextNode.valueOf(DOC + "#/$defs/" + ref.asText().substring(SCHEMAS.length())));
            }
            object.forEach(OpenApiContract::absolute);
        } else if (node.isArray()) {
            node.forEach(OpenApiContract::absolute);
        }
        return node;
    }

    private JsonNode resolve(JsonNode node) {
        String ref = node.path("$ref").asText(null);
        if (ref == null) {
            return node;
        }
        return doc.at(ref.substring(1));
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
