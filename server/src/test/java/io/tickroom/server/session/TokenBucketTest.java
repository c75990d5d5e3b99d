package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
    @Test
    void allowsTheBurstThenTheSustainedRate() {
        long now = 0;
        TokenBucket b = new TokenBucket(10, 3, now);
        assertTrue(b.tryTake(now));
        assertTrue(b.tryTake(now));
        assertTrue(b.tryTake(now));
        assertFalse(b.tryTake(now));
        now += 100_000_000; // 0.1 s refills one token at 10/s
        assertTrue(b.tryTake(now));
        assertFalse(b.tryTake(now));
        now += 10_000_000_000L; // long idle refills only up to the burst
        for (int i = 0; i < 3; i++) {
            assertTrue(b.tryTake(now));
        }
        assertFalse(b.tryTake(now));
    }
}
