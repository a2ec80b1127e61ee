package io.rateticker.rest;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The admin API on the management interface, when the application is built with {@code quarkus.management.enabled}
 * (the recommended production setup, docs/security.md): the same calls as {@link AdminResource}, served there only,
 * while the public port answers 404 for every admin path. Without the management interface this class does nothing
 * and {@link AdminResource} serves the admin API on the public port.
 */
@ApplicationScoped
public class AdminRoutes {

    private static final String ADMIN = "/api/v1/admin";

    private final AdminResource admin;
    private final ApiRoutes api;
    private final ObjectMapper mapper;
    private volatile boolean onManagementInterface;

    AdminRoutes(AdminResource admin, ApiRoutes api, ObjectMapper mapper) {
        this.admin = admin;
        this.api = api;
        this.mapper = mapper;
    }

    /** Fired only when the management interface is built in. */
    void management(@Observes ManagementInterface management) {
        onManagementInterface = true;
        Router router = management.router();
        router.route(ADMIN + "/*").handler(api::limits);
        router.route(ADMIN + "/*").handler(api::parameters);
        router.route(ADMIN + "/*").handler(BodyHandler.create(false).setBodyLimit(AdminResource.MAX_BODY_BYTES + 1));
        router.post(ADMIN + "/rates").blockingHandler(rc -> answer(rc, () -> admin.postRates(authorization(rc),
                body(rc), rc.request())), false);
        router.post(ADMIN + "/refresh").blockingHandler(rc -> answer(rc, () -> admin.refresh(authorization(rc),
                rc.request().getParam("source"), rc.request())), false);
        router.post(ADMIN + "/sources/:id/documents").blockingHandler(rc -> answer(rc, () -> admin.document(
                authorization(rc), rc.pathParam("id"), body(rc), rc.request())), false);
        router.get(ADMIN + "/rejections").blockingHandler(rc -> answer(rc, () -> admin.rejections(authorization(rc),
                rc.request())), false);
        router.post(ADMIN + "/rejections/:source/:currency/:asOf/release").blockingHandler(rc -> answer(rc,
                () -> admin.release(authorization(rc), rc.pathParam("source"), rc.pathParam("currency"),
                        rc.pathParam("asOf"), rc.request().getParam("quote"), rc.request())), false);
        router.delete(ADMIN + "/observations/:source/:currency/:asOf").blockingHandler(rc -> answer(rc,
                () -> admin.deleteObservation(authorization(rc), rc.pathParam("source"), rc.pathParam("currency"),
                        rc.pathParam("asOf"), rc.request().getParam("quote"), rc.request())), false);
        router.route(ADMIN + "/*").failureHandler(rc -> problem(rc, rc.statusCode() == 413 ? 413 : 500,
                rc.statusCode() == 413 ? "the body is over " + AdminResource.MAX_BODY_BYTES + " bytes"
                        : "unexpected server error; it has been logged"));
        router.route(ADMIN + "/*").handler(rc -> problem(rc, 404, "no such admin resource; POST " + ADMIN
                + "/rates, " + ADMIN + "/refresh or " + ADMIN + "/sources/{id}/documents, GET " + ADMIN
                + "/rejections, POST " + ADMIN + "/rejections/{source}/{currency}/{asOf}/release or DELETE " + ADMIN
                + "/observations/{source}/{currency}/{asOf}"));
    }

    void publicPort(@Observes Router router) {
        router.route(ADMIN + "/*").order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2).handler(rc -> {
            if (onManagementInterface) {
                problem(rc, 404, "the admin API is served on the management interface only (quarkus.management.port)");
            } else {
                rc.next();
            }
        });
    }

    private void answer(RoutingContext rc, Callable<Object> call) {
        Object result;
        try {
            result = call.call();
        } catch (Exception e) {
            ProblemMappers.Answer answer = ProblemMappers.answer(e);
            answer.headers().forEach(rc.response()::putHeader);
            problem(rc, answer.status(), answer.detail());
            return;
        }
        try {
            rc.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(Buffer.buffer(mapper.writeValueAsBytes(result)));
        } catch (Exception e) {
            // Not through ProblemMappers.answer: a JSON error here is ours (500), not the client's (400)
            Log.errorf(e, "Cannot render the admin answer");
            problem(rc, 500, "unexpected server error; it has been logged");
        }
    }

    private void problem(RoutingContext rc, int status, String detail) {
        Problem.send(rc.response(), status, detail, mapper);
    }

    private static String authorization(RoutingContext rc) {
        return rc.request().getHeader(HttpHeaders.AUTHORIZATION);
    }

    private static byte[] body(RoutingContext rc) {
        return rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    }
}
