package io.rateticker.rest;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.Path;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.logging.Log;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.ManagementInterface;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The admin API on the management interface, when the application is built with {@code quarkus.management.enabled}
 * (the recommended production setup, docs/security.md): the endpoints of {@link AdminResource}, served there only,
 * while the public port answers 404 for every admin path. Without the management interface this class does nothing
 * and {@link AdminResource} serves the admin API on the public port.
 */
@ApplicationScoped
public class AdminRoutes {

    private static final String ADMIN = AdminResource.class.getAnnotation(Path.class).value();

    /**
     * One endpoint of {@link AdminResource}: its HTTP method, its whole path (a JAX-RS template), its method and where
     * each of its parameters comes from in a request.
     */
    private record Endpoint(String verb, String path, Method method, List<Function<RoutingContext, Object>> arguments) {

        /** The endpoint a method declares, or null for a method that is none. */
        static Endpoint of(Method method) {
            return Arrays.stream(method.getAnnotations())
                    .map(a -> a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class)).filter(Objects::nonNull)
                    .findFirst().map(verb -> new Endpoint(verb.value(), ADMIN + method.getAnnotation(Path.class).value(),
                            method, Arrays.stream(method.getParameters()).map(Endpoint::argument).toList()))
                    .orElse(null);
        }

        /** Where a parameter comes from, as Quarkus REST takes it; a parameter of another kind fails the start. */
        private static Function<RoutingContext, Object> argument(Parameter parameter) {
            RestHeader header = parameter.getAnnotation(RestHeader.class);
            if (header != null) {
                return rc -> rc.request().getHeader(header.value());
            } else if (parameter.isAnnotationPresent(RestPath.class)) {
                return rc -> rc.pathParam(parameter.getName());
            } else if (parameter.isAnnotationPresent(RestQuery.class)) {
                return rc -> rc.request().getParam(parameter.getName());
            } else if (parameter.getType() == byte[].class) {
                return AdminRoutes::body;
            } else if (parameter.getType() == HttpServerRequest.class) {
                return RoutingContext::request;
            }
            throw new IllegalStateException("the management interface cannot give " + parameter + " of "
                    + parameter.getDeclaringExecutable());
        }

        Object invoke(AdminResource admin, RoutingContext rc) throws Exception {
            try {
                return method.invoke(admin, arguments.stream().map(argument -> argument.apply(rc)).toArray());
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        }
    }

    private final AdminResource admin;
    private final ApiRoutes api;
    private final ObjectMapper mapper;
    private final AdminTokenMechanism token;
    private final IdentityProviderManager identities;
    private final CurrentIdentityAssociation identity;
    private volatile boolean onManagementInterface;

    AdminRoutes(AdminResource admin, ApiRoutes api, ObjectMapper mapper, AdminTokenMechanism token,
            IdentityProviderManager identities, CurrentIdentityAssociation identity) {
        this.admin = admin;
        this.api = api;
        this.mapper = mapper;
        this.token = token;
        this.identities = identities;
        this.identity = identity;
    }

    /**
     * Fired only when the management interface is built in: every endpoint of {@link AdminResource}, as its JAX-RS
     * annotations declare it (Quarkus REST serves the public port only), on a worker thread.
     */
    void management(@Observes ManagementInterface management) {
        onManagementInterface = true;
        Router router = management.router();
        router.route(ADMIN + "/*").handler(api::limits);
        router.route(ADMIN + "/*").handler(api::parameters);
        router.route(ADMIN + "/*").handler(BodyHandler.create(false).setBodyLimit(AdminResource.MAX_BODY_BYTES + 1));
        List<Endpoint> endpoints = Arrays.stream(AdminResource.class.getMethods()).map(Endpoint::of)
                .filter(Objects::nonNull).sorted(Comparator.comparing(Endpoint::path)).toList();
        endpoints.forEach(endpoint -> router.route(HttpMethod.valueOf(endpoint.verb()),
                endpoint.path().replaceAll("\\{([^/}]+)}", ":$1"))
                .blockingHandler(rc -> answer(rc, () -> call(endpoint, rc)), false));
        router.route(ADMIN + "/*").failureHandler(rc -> problem(rc, rc.statusCode() == 413 ? 413 : 500,
                rc.statusCode() == 413 ? "the body is over " + AdminResource.MAX_BODY_BYTES + " bytes"
                        : "unexpected server error; it has been logged"));
        String served = endpoints.stream().map(e -> e.verb() + " " + e.path()).collect(Collectors.joining(", "));
        router.route(ADMIN + "/*").handler(rc -> problem(rc, 404, "no such admin resource; the admin API is " + served));
    }

    /**
     * Calls the endpoint as the holder of the request's token: the admin token mechanism authenticates it, as on the
     * public port, and the endpoint's own {@code @RolesAllowed} decides (the management interface has no Quarkus
     * Security of its own for application routes). On a worker thread, so it may wait for the token's check.
     */
    private Object call(Endpoint endpoint, RoutingContext rc) throws Exception {
        SecurityIdentity holder = token.authenticate(rc, identities).await().indefinitely();
        ManagedContext request = Arc.container().requestContext();
        request.activate();
        try {
            identity.setIdentity(holder);
            return endpoint.invoke(admin, rc);
        } finally {
            request.terminate();
        }
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

    private static byte[] body(RoutingContext rc) {
        return rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes();
    }
}
