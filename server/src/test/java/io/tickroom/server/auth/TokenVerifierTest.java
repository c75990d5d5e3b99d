package io.tickroom.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenVerifierTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    final Instant now = Instant.parse("2026-11-26T12:00:00Z");
    final TokenVerifier verifier = new TokenVerifier(SECRET, Clock.fixed(now, ZoneOffset.UTC));

    @Test
    void acceptsAValidTokenAndReadsItsClaims() throws Exception {
        Principal p = verifier.verify(Tokens.mint(SECRET, "u1", "Una", List.of("admin"), now.plusSeconds(60), 1500));
        assertEquals("u1", p.userId());
        assertEquals("Una", p.name());
        assertEquals(Set.of("admin"), p.roles());
        assertEquals(1500, p.rating().getAsInt());
    }

    @Test
    void refusesExpiredForgedAndMalformed() {
        assertTrue(assertThrows(
                        AuthException.class,
                        () -> verifier.verify(Tokens.mint(SECRET, "u1", "U", List.of(), now.minusSeconds(1), null)))
                .getMessage()
                .contains("expired"));
        assertTrue(assertThrows(
                        AuthException.class,
                        () -> verifier.verify(Tokens.mint(
                                "ffffffffffffffffffffffffffffffff", "u1", "U", List.of(), now.plusSeconds(60), null)))
                .getMessage()
                .contains("signature"));
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify("abc"))
                .getMessage()
                .contains("malformed"));
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify(""))
                .getMessage()
                .contains("missing"));
    }

    private String signed(com.nimbusds.jwt.JWTClaimsSet claims) throws Exception {
        com.nimbusds.jwt.SignedJWT jwt = new com.nimbusds.jwt.SignedJWT(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private com.nimbusds.jwt.JWTClaimsSet.Builder claims(String sub, Instant exp) {
        return new com.nimbusds.jwt.JWTClaimsSet.Builder().subject(sub).expirationTime(java.util.Date.from(exp));
    }

    private String refusal(TokenVerifier v, String token) {
        return assertThrows(AuthException.class, () -> v.verify(token)).getMessage();
    }

    @Test
    void refusesATokenNotValidYetBeyondTheClockSkew() throws Exception {
        String early = signed(claims("u1", now.plusSeconds(600))
                .notBeforeTime(java.util.Date.from(now.plusSeconds(120)))
                .build());
        assertTrue(refusal(verifier, early).contains("not valid yet"));
        String withinSkew = signed(claims("u1", now.plusSeconds(600))
                .notBeforeTime(java.util.Date.from(now.plusSeconds(10)))
                .build());
        assertEquals("u1", verifier.verify(withinSkew).userId(), "10 s ahead is within the 30 s skew");
    }

    @Test
    void refusesATokenThatLivesLongerThanTheMaximumLifetime() throws Exception {
        String decade = signed(claims("u1", now.plus(java.time.Duration.ofDays(3650)))
                .issueTime(java.util.Date.from(now))
                .build());
        assertTrue(refusal(verifier, decade).contains("lives longer"));
        String noIat =
                signed(claims("u1", now.plus(java.time.Duration.ofDays(2))).build());
        assertTrue(refusal(verifier, noIat).contains("lives longer"), "without iat the lifetime counts from now");
        String oldIat = signed(claims("u1", now.plusSeconds(60))
                .issueTime(java.util.Date.from(now.minus(java.time.Duration.ofDays(2))))
                .build());
        assertTrue(refusal(verifier, oldIat).contains("lives longer"), "issued two days ago, still valid: too long");
    }

    @Test
    void requiresIssuerAndAudienceWhenThePolicyNamesThem() throws Exception {
        TokenVerifier strict = new TokenVerifier(
                SECRET,
                new TokenPolicy(
                        "https://auth.studio.example",
                        "tickroom",
                        TokenPolicy.DEFAULT_MAX_LIFETIME_MS,
                        TokenPolicy.DEFAULT_CLOCK_SKEW_MS),
                now::toEpochMilli);
        String good = signed(claims("u1", now.plusSeconds(60))
                .issuer("https://auth.studio.example")
                .audience(List.of("other", "tickroom"))
                .build());
        assertEquals("u1", strict.verify(good).userId());
        assertTrue(refusal(
                        strict,
                        signed(claims("u1", now.plusSeconds(60))
                                .audience("tickroom")
                                .build()))
                .contains("issuer"));
        assertTrue(refusal(
                        strict,
                        signed(claims("u1", now.plusSeconds(60))
                                .issuer("https://evil.example")
                                .audience("tickroom")
                                .build()))
                .contains("issuer"));
        assertTrue(refusal(
                        strict,
                        signed(claims("u1", now.plusSeconds(60))
                                .issuer("https://auth.studio.example")
                                .build()))
                .contains("audience"));
        assertEquals(
                "u1",
                verifier.verify(signed(claims("u1", now.plusSeconds(60)).build()))
                        .userId(),
                "a node that names neither checks neither");
    }

    @Test
    void refusesUserIdsThatCouldForgeALogLineOrMisleadPlayers() throws Exception {
        for (String sub : List.of(
                "alice\r\nINFO forged line",
                "nul\u0000",
                "esc\u001b[31m",
                "bidi\u202Eevil",
                "spaced out",
                "x".repeat(129),
                "")) {
            assertTrue(
                    refusal(verifier, signed(claims(sub, now.plusSeconds(60)).build()))
                            .contains("sub"),
                    sub);
        }
        for (String sub : List.of("alice", "steam:76561198", "user@studio.example", "a.b_c-d+e=f", "x".repeat(128))) {
            assertEquals(
                    sub,
                    verifier.verify(signed(claims(sub, now.plusSeconds(60)).build()))
                            .userId());
        }
    }

    @Test
    void displayNamesLoseControlAndBidiCharacters() throws Exception {
        Principal p = verifier.verify(signed(claims("u1", now.plusSeconds(60))
                .claim("name", "Una\r\n\u001b[1m\u202EBoss\u2066")
                .build()));
        assertEquals("Una[1mBoss", p.name());
        Principal blank = verifier.verify(signed(
                claims("u2", now.plusSeconds(60)).claim("name", "\u202E\n").build()));
        assertEquals("u2", blank.name(), "a name of nothing but controls falls back to the user id");
    }
}
