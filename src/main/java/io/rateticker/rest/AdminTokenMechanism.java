package io.rateticker.rest;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.rateticker.service.RequestException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin API's {@code Authorization: Bearer <token>}, as Quarkus Security takes credentials. Authentication is not
 * proactive ({@code quarkus.http.auth.proactive=false}): it runs only where an endpoint asks for the admin role, so a
 * public read never pays for it. Every request there goes to {@link AdminTokens}, with an empty token when it sent
 * none: the admin API being off, or the address locked out, is answered before a missing token is.
 */
@ApplicationScoped
public class AdminTokenMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final ObjectMapper mapper;

    AdminTokenMechanism(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        TokenCredential token = new TokenCredential(bearer ? authorization.substring(BEARER.length()).trim() : "",
                "bearer");
        return identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                new TokenAuthenticationRequest(token), context));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        RequestException missing = AdminTokens.missing();
        return Uni.createFrom().item(new ChallengeData(missing.status(), "WWW-Authenticate",
                missing.headers().get("WWW-Authenticate")));
    }

    /** The challenge as a problem, as every other answer of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        RequestException missing = AdminTokens.missing();
        missing.headers().forEach(context.response()::putHeader);
        Problem.send(context.response(), missing.status(), missing.getMessage(), mapper);
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
