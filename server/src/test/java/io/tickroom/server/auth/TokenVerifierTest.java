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
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify(
                Tokens.mint(SECRET, "u1", "U", List.of(), now.minusSeconds(1), null))).getMessage().contains("expired"));
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify(
                Tokens.mint("ffffffffffffffffffffffffffffffff", "u1", "U", List.of(), now.plusSeconds(60), null)))
                .getMessage().contains("signature"));
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify("abc")).getMessage().contains("malformed"));
        assertTrue(assertThrows(AuthException.class, () -> verifier.verify("")).getMessage().contains("missing"));
    }
}
