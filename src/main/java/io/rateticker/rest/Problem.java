package io.rateticker.rest;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/** An RFC 9457 problem detail: what every 4xx and 5xx of the API carries as {@code application/problem+json}. */
public record Problem(String type, String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem of(int status, String detail) {
        Response.Status.Family family = Response.Status.Family.familyOf(status);
        Response.StatusType known = Response.Status.fromStatusCode(status);
        String title = known != null ? known.getReasonPhrase()
                : status == 413 ? "Content Too Large"
                : family == Response.Status.Family.CLIENT_ERROR ? "Client Error" : "Server Error";
        return new Problem("about:blank", title, status, detail);
    }

    /** Ends a response of the routes that answer beside JAX-RS (the hot reads, the admin API's routing) with one. */
    public static void send(HttpServerResponse response, int status, String detail, ObjectMapper mapper) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
                .end(Buffer.buffer(of(status, detail).toJson(mapper)));
    }

    public byte[] toJson(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a problem", e);
        }
    }
}
