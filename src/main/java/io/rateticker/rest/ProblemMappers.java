package io.rateticker.rest;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import io.rateticker.service.RequestException;

/** Turns every failure of a resource into an {@code application/problem+json} answer; never a stack trace. */
public class ProblemMappers {

    private final ObjectMapper mapper;

    ProblemMappers(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** What a failure answers, wherever it happened: in a resource, or in a route of the management interface. */
    record Answer(int status, String detail, Map<String, String> headers) {
    }

    static Answer answer(Throwable e) {
        if (e instanceof RequestException request) {
            return new Answer(request.status(), request.getMessage(), request.headers());
        }
        if (e instanceof AuthenticationFailedException || e instanceof UnauthorizedException) {
            // a refused token carries its answer; without a token the answer is to send one
            return answer(e.getCause() instanceof RequestException refused ? refused : AdminTokens.missing());
        }
        RequestException below = RequestException.of(e);
        if (below != null) {
            Log.errorf(e, "Answered %d: %s", below.status(), below.getMessage());
            return new Answer(below.status(), below.getMessage(), below.headers());
        }
        if (e instanceof JsonProcessingException json) {
            return new Answer(400, jsonDetail(json), Map.of());
        }
        Log.errorf(e, "Unexpected failure");
        return new Answer(500, "unexpected server error; it has been logged", Map.of());
    }

    @ServerExceptionMapper
    Response request(RequestException e) {
        return respond(answer(e));
    }

    /** Authentication is not proactive, so its failures reach the resources' mappers (quarkus.http.auth.proactive). */
    @ServerExceptionMapper
    Response authentication(AuthenticationFailedException e) {
        return respond(answer(e));
    }

    @ServerExceptionMapper
    Response unauthorized(UnauthorizedException e) {
        return respond(answer(e));
    }

    @ServerExceptionMapper
    Response json(JsonProcessingException e) {
        return respond(answer(e));
    }

    /** Says where the body is wrong in terms of its fields, without Java type names. */
    static String jsonDetail(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "malformed JSON: " + e.getOriginalMessage(); // the parser's words: no Java type in them
        }
        if (mapping.getPath().isEmpty()) {
            return "the body must be a JSON object such as {\"source\":\"manual\",\"rates\":[...]}";
        }
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            return path + ": unknown field; known fields are " + unknown.getKnownPropertyIds();
        }
        if (e instanceof InvalidFormatException format) {
            return path + ": '" + format.getValue() + "' is not a valid " + expected(format.getTargetType());
        }
        if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return path + ": expected " + expected(mismatched.getTargetType());
        }
        return "malformed JSON at " + path;
    }

    private static String expected(Class<?> type) {
        if (type == LocalDate.class) {
            return "date (YYYY-MM-DD)";
        }
        if (Number.class.isAssignableFrom(type)) {
            return "number";
        }
        if (type == String.class) {
            return "string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "array";
        }
        return "object";
    }

    /** Quarkus maps this subtype itself (as plain JSON) unless it is named here. */
    @ServerExceptionMapper
    Response mismatched(MismatchedInputException e) {
        return respond(answer(e));
    }

    @ServerExceptionMapper
    Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "no such resource; the API is described at /q/openapi";
            case 405 -> "method not allowed here";
            case 406 -> "this resource answers application/json only";
            case 415 -> "send the body as application/json";
            default -> e.getMessage();
        };
        Response.ResponseBuilder response = problem(status, detail);
        e.getResponse().getHeaders().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> response.header(name, v));
            }
        });
        return response.build();
    }

    @ServerExceptionMapper
    Response unexpected(Throwable e) {
        return respond(answer(e));
    }

    private Response respond(Answer answer) {
        Response.ResponseBuilder response = problem(answer.status(), answer.detail());
        answer.headers().forEach(response::header);
        return response.build();
    }

    Response.ResponseBuilder problem(int status, String detail) {
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(Problem.of(status, detail).toJson(mapper));
    }
}
