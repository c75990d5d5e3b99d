package io.tickroom.server.auth;

import java.time.Instant;
import java.util.Collection;

/**
 * Mints HS256 tokens with the shared secret: for local trials ({@code tickroom-server.jar token})
 * and tests. Production tokens come from the studio's own auth service with the same claims.
 */
public final class Tokens {
    private Tokens() {}

    /** A token for {@code userId} with claims sub, name, roles, exp, iat (now) and, when given, rating. */
    public static String mint(
            String secret, String userId, String name, Collection<String> roles, Instant expiresAt, Integer rating) {
        StringBuilder claims = new StringBuilder(128).append("{\"sub\":");
        Json.quote(claims, userId);
        claims.append(",\"name\":");
        Json.quote(claims, name);
        claims.append(",\"roles\":[");
        String comma = "";
        for (String role : roles) {
            Json.quote(claims.append(comma), role);
            comma = ",";
        }
        claims.append("],\"exp\":")
                .append(expiresAt.getEpochSecond())
                .append(",\"iat\":")
                .append(Instant.now().getEpochSecond());
        if (rating != null) {
            claims.append(",\"rating\":").append(rating.intValue());
        }
        return new Hs256(secret)
                .sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims.append('}').toString());
    }
}
