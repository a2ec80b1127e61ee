package io.rateticker.rest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.rateticker.config.TickerConfig;
import io.rateticker.service.RequestException;
import io.smallrye.mutiny.Uni;

/**
 * Who holds the admin token: the identity provider of {@link AdminTokenMechanism}. The tokens are
 * {@code ticker.admin.token} and every non-blank line of {@code ticker.admin.token-file}, read at each request, so a
 * token is rotated without a restart (add the new one to the file, move clients over, remove the old one; a
 * Kubernetes Secret mounted as a volume updates the file by itself). An address that sends
 * {@code ticker.admin.max-failures-per-minute} wrong tokens is locked out for the rest of the minute.
 */
@ApplicationScoped
public class AdminTokens implements IdentityProvider<TokenAuthenticationRequest> {

    static final String ROLE = "admin";

    private final TickerConfig.Admin config;
    private final Clock clock;
    private final ClientAddress clientAddress;
    /** Wrong tokens per client address. */
    private final PerAddressLimit failures;

    AdminTokens(TickerConfig config, Clock clock, ClientAddress clientAddress) {
        this.config = config.admin();
        this.clock = clock;
        this.clientAddress = clientAddress;
        this.failures = new PerAddressLimit(this.config.maxFailuresPerMinute());
    }

    /** The answer to a request without a bearer token. */
    static RequestException missing() {
        return new RequestException(401, "send the admin token as 'Authorization: Bearer <token>'",
                Map.of("WWW-Authenticate", "Bearer realm=\"rate-ticker\""));
    }

    @Override
    public Class<TokenAuthenticationRequest> getRequestType() {
        return TokenAuthenticationRequest.class;
    }

    /**
     * The holder of the request's token (empty when the request sent none), or a failure carrying its answer, in this
     * order: the admin API is off (403), the address is locked out (429), no token (401), a wrong one (403). Reads the
     * token file once, so off the event loop.
     */
    @Override
    public Uni<SecurityIdentity> authenticate(TokenAuthenticationRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            List<String> tokens = tokens();
            if (tokens.isEmpty()) {
                throw refused(new RequestException(403, "the admin API is disabled: no ticker.admin.token"
                        + " (TICKER_ADMIN_TOKEN) or ticker.admin.token-file is set"));
            }
            String address = clientAddress.of(HttpSecurityUtils.getRoutingContextAttribute(request).request());
            long seconds = failures.blockedFor(address, clock.millis());
            if (seconds > 0) {
                throw refused(new RequestException(429, "too many wrong admin tokens from " + address
                        + "; try again in " + seconds + " s", Map.of("Retry-After", String.valueOf(seconds))));
            }
            String given = request.getToken().getToken();
            if (given.isEmpty()) {
                throw refused(missing());
            }
            boolean known = false;
            for (String token : tokens) {
                known |= sameSecret(given, token); // every token compared, so timing does not tell which one matched
            }
            if (!known) {
                // Never the token itself: a near miss in a log is half a leak.
                Log.warnf("Admin API: wrong token from %s (%d this minute)", address,
                        failures.count(address, clock.millis()));
                throw refused(new RequestException(403, "the admin token is not valid"));
            }
            return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(ROLE)).addRole(ROLE).build();
        });
    }

    /** A failure of Quarkus Security that carries the problem to answer (ProblemMappers). */
    private static AuthenticationFailedException refused(RequestException answer) {
        return new AuthenticationFailedException(answer);
    }

    /** Every token valid now; an unreadable file gives none of its own. */
    private List<String> tokens() {
        List<String> valid = new ArrayList<>();
        config.token().filter(t -> !t.isBlank()).ifPresent(valid::add);
        config.tokenFile().ifPresent(file -> {
            try {
                Files.readAllLines(file, StandardCharsets.UTF_8).stream().map(String::trim)
                        .filter(line -> !line.isEmpty()).forEach(valid::add);
            } catch (IOException e) {
                Log.warnf("Admin API: cannot read ticker.admin.token-file %s (%s); its tokens are not accepted", file,
                        e.getMessage());
            }
        });
        return valid;
    }

    /** Constant-time: compares digests, so neither the content nor the length of the token leaks through timing. */
    static boolean sameSecret(String given, String expected) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] a = sha.digest(given.getBytes(StandardCharsets.UTF_8));
            byte[] b = sha.digest(expected.getBytes(StandardCharsets.UTF_8));
            return MessageDigest.isEqual(a, b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
