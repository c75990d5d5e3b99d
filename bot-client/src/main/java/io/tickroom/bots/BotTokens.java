package io.tickroom.bots;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;

/** Mints bot tokens with the cluster's shared secret (HS256; claims sub, name, roles, exp, rating). */
public final class BotTokens {
    private final MACSigner signer;

    public BotTokens(String secret) {
        try {
            this.signer = new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("secret unusable for HS256 (at least 32 bytes): " + e.getMessage(), e);
        }
    }

    public String mint(String userId, int rating, long ttlMs) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .subject(userId)
                    .claim("name", "Bot " + userId)
                    .claim("roles", List.of("bot"))
                    .claim("rating", rating)
                    .expirationTime(new Date(System.currentTimeMillis() + ttlMs))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
