package io.tickroom.client;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the delay before reconnect attempt {@code n} (1-based) is
 * uniform in {@code [0, min(capMs, baseMs × 2^(n-1))]}, so a crowd that dropped together spreads
 * out instead of stampeding back at the same instant. After {@code maxAttempts} failed attempts
 * the client gives up (0 = never).
 */
public record Backoff(long baseMs, long capMs, int maxAttempts) {
    public Backoff {
        if (baseMs < 1 || capMs < baseMs || maxAttempts < 0) {
            throw new IllegalArgumentException("backoff needs 1 <= baseMs <= capMs and maxAttempts >= 0");
        }
    }

    public static Backoff defaults() {
        return new Backoff(250, 30_000, 0);
    }

    /** The ceiling of attempt {@code n}'s delay. */
    public long ceilingMs(int attempt) {
        int shift = Math.min(attempt - 1, 40);
        long exp = baseMs << shift;
        return exp <= 0 || exp > capMs ? capMs : exp;
    }

    public long delayMs(int attempt, RandomGenerator random) {
        return random.nextLong(ceilingMs(attempt) + 1);
    }

    public boolean exhausted(int attempt) {
        return maxAttempts > 0 && attempt > maxAttempts;
    }
}
