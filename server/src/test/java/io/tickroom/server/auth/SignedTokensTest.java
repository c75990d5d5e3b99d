package io.tickroom.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignedTokensTest {
    private static final String SECRET = "a-test-secret-that-is-long-enough-0123";

    /**
     * Computed outside Java (Python's hmac): HMAC-SHA256 keyed by HMAC-SHA256(secret, "tickroom seat
     * token v1") over the base64url payload. Nodes of one cluster run different builds during a
     * rolling upgrade, so the format and the key derivation may not drift.
     */
    private static final String PINNED = "v1.bS0xCnUtMQoz.gXsQ1CX5S-lTa1yqUP4CAuxE9YlcbuLcK7VNySABf-Q";

    @Test
    void signsExactlyTheWireFormatOtherNodesExpect() throws Exception {
        SignedTokens seats = new SignedTokens(SECRET, "seat token");
        assertEquals(PINNED, seats.sign(List.of("m-1", "u-1", "3")));
        assertEquals(List.of("m-1", "u-1", "3"), seats.verify(PINNED, 3));
    }

    @Test
    void aTokenOfAnotherPurposeOrSecretOrShapeIsRefused() {
        SignedTokens resume = new SignedTokens(SECRET, "resume token");
        SignedTokens seats = new SignedTokens(SECRET, "seat token");
        SignedTokens otherSecret = new SignedTokens(SECRET + "x", "seat token");
        String seat = seats.sign(List.of("m-1", "u-1", "3"));
        assertEquals(
                "resume token signature does not verify",
                assertThrows(SignedTokens.InvalidTokenException.class, () -> resume.verify(seat, 3))
                        .getMessage());
        assertThrows(SignedTokens.InvalidTokenException.class, () -> otherSecret.verify(seat, 3));
        assertThrows(SignedTokens.InvalidTokenException.class, () -> seats.verify(seat, 2));
        assertThrows(SignedTokens.InvalidTokenException.class, () -> seats.verify(seat.replace("v1.", "v2."), 3));
        assertThrows(SignedTokens.InvalidTokenException.class, () -> seats.verify(seat + "A", 3));
        assertThrows(SignedTokens.InvalidTokenException.class, () -> seats.verify(null, 3));
    }

    @Test
    void manyThreadsSignAndVerifyAtOnceWithoutMixingUp() throws Exception {
        // each thread has its own Mac: a shared one would mix the inputs of concurrent calls
        SignedTokens seats = new SignedTokens(SECRET, "seat token");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < 5_000; n++) {
                        List<String> f = List.of("m-" + thread, "u-" + n, Integer.toString(n % 8));
                        assertEquals(f, seats.verify(seats.sign(f), 3));
                    }
                    return 5_000;
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(5_000, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
