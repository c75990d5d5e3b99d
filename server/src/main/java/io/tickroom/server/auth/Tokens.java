package io.tickroom.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Mints HS256 tokens with the shared secret: for local trials ({@code tickroom-server.jar token})
 * and tests. Production tokens come from the studio's own auth service with the same claims.
 */
public final class Tokens {
    private Tokens() {}

    public static String mint(
            String secret, String userId, String name, Collection<String> roles, Instant expiresAt, Integer rating) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(userId)
                    .claim("name", name)
                    .claim("roles", List.copyOf(roles))
                    .expirationTime(java.util.Date.from(expiresAt))
                    .issueTime(new java.util.Date());
            if (rating != null) {
                claims.claim("rating", rating);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign token: " + e.getMessage(), e);
        }
    }
}
