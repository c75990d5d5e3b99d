package io.tickroom.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Verifies HS256 JWTs and turns them into {@link Principal}s. Thread-safe; called on Jetty
 * threads during the handshake (and later for token refresh). Claims: {@code sub} (required),
 * {@code exp} (required), {@code name}, {@code roles} (array of strings), {@code rating}.
 */
public final class TokenVerifier {
    private static final int MAX_TOKEN_CHARS = 8192;

    private final MACVerifier verifier;
    private final Clock clock;

    public TokenVerifier(String secret, Clock clock) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT secret unusable for HS256: " + e.getMessage(), e);
        }
        this.clock = clock;
    }

    /** Returns the principal of a valid token, or throws with a reason the client may read. */
    public Principal verify(String token) throws AuthException {
        if (token == null || token.isBlank()) {
            throw new AuthException("missing token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new AuthException("token too long");
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            throw new AuthException("malformed token");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new AuthException("token must be signed with HS256");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new AuthException("bad token signature");
            }
        } catch (JOSEException e) {
            throw new AuthException("bad token signature");
        }
        try {
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            String sub = claims.getSubject();
            if (sub == null || sub.isBlank() || sub.length() > 128) {
                throw new AuthException("token has no usable sub claim");
            }
            Date exp = claims.getExpirationTime();
            if (exp == null) {
                throw new AuthException("token has no exp claim");
            }
            if (exp.toInstant().toEpochMilli() <= clock.millis()) {
                throw new AuthException("token expired");
            }
            String name = claims.getStringClaim("name");
            if (name == null || name.isBlank()) {
                name = sub;
            }
            if (name.length() > 64) {
                name = name.substring(0, 64);
            }
            List<String> roleList = claims.getStringListClaim("roles");
            Set<String> roles = roleList == null ? Set.of() : new HashSet<>(roleList);
            Object ratingClaim = claims.getClaim("rating");
            OptionalInt rating = ratingClaim instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
            return new Principal(sub, name, roles, exp.toInstant().toEpochMilli(), rating);
        } catch (ParseException e) {
            throw new AuthException("token claims malformed");
        }
    }
}
