package io.tickroom.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The token verifier as it was on nimbus-jose-jwt, kept as the reference {@link TokenVerifier} is
 * differential-tested against (see {@code TokenVerifierDifferentialTest}). Verifies HS256 JWTs and turns them into {@link Principal}s. Thread-safe; called on Jetty
 * threads during the handshake (and later for token refresh). Claims: {@code sub} (required, at
 * most 128 characters of {@code A-Z a-z 0-9 . _ - : @ + =}, so a user id can be shown and logged
 * as it is), {@code exp} (required, within the policy's maximum lifetime counted from {@code iat}),
 * {@code nbf} (checked with the policy's clock skew when present), {@code iss} and {@code aud}
 * (required when the policy names them), {@code name} (control and bidirectional-override
 * characters removed, at most 64), {@code roles} (array of strings), {@code rating}.
 */
final class NimbusReferenceVerifier {
    private static final int MAX_TOKEN_CHARS = 8192;
    /** User ids: safe to show to other players and to write into a log line as they are. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9._:@+=-]{1,128}");

    private final MACVerifier verifier;
    private final TokenPolicy policy;
    private final LongSupplier epochMillis;

    /** A verifier of {@code policy} reading wall-clock time from {@code epochMillis} (the node's time source). */
    NimbusReferenceVerifier(String secret, TokenPolicy policy, LongSupplier epochMillis) {
        try {
            this.verifier = new MACVerifier(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("JWT secret unusable for HS256: " + e.getMessage(), e);
        }
        this.policy = policy;
        this.epochMillis = epochMillis;
    }

    /** Returns the principal of a valid token, or throws with a reason the client may read. */
    Principal verify(String token) throws AuthException {
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
            if (sub == null || !USER_ID.matcher(sub).matches()) {
                throw new AuthException(
                        "token has no usable sub claim (1-128 characters of A-Z a-z 0-9 . _ - : @ + =)");
            }
            long nowMs = epochMillis.getAsLong();
            Date exp = claims.getExpirationTime();
            if (exp == null) {
                throw new AuthException("token has no exp claim");
            }
            long expMs = exp.toInstant().toEpochMilli();
            if (expMs <= nowMs) {
                throw new AuthException("token expired");
            }
            Date nbf = claims.getNotBeforeTime();
            if (nbf != null && nbf.getTime() > nowMs + policy.clockSkewMs()) {
                throw new AuthException("token not valid yet (nbf)");
            }
            // the lifetime counts from iat, or from now when iat is absent or ahead of this node's clock
            Date iat = claims.getIssueTime();
            long bornMs = iat != null ? Math.min(iat.getTime(), nowMs) : nowMs;
            if (expMs - bornMs > policy.maxLifetimeMs()) {
                throw new AuthException(
                        "token lives longer than this node allows (" + policy.maxLifetimeMs() / 1000 + " s)");
            }
            if (!policy.issuer().isEmpty() && !policy.issuer().equals(claims.getIssuer())) {
                throw new AuthException("token issuer (iss) is not the one this node accepts");
            }
            if (!policy.audience().isEmpty()
                    && (claims.getAudience() == null || !claims.getAudience().contains(policy.audience()))) {
                throw new AuthException("token audience (aud) does not include this node's");
            }
            String name = TokenVerifier.displayName(claims.getStringClaim("name"));
            if (name.isEmpty()) {
                name = sub;
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
