package io.tickroom.server.session;

/**
 * A token bucket: {@code ratePerSecond} tokens refill continuously up to {@code burst}. Not
 * thread-safe by design: each bucket belongs to one session, whose frames are handled one at
 * a time. Time is passed in, so tests drive it with a fake clock.
 */
public final class TokenBucket {
    private final double ratePerNs;
    private final double burst;
    private double tokens;
    private long lastNs;

    public TokenBucket(int ratePerSecond, int burst, long nowNs) {
        this.ratePerNs = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.lastNs = nowNs;
    }

    /** Whether the bucket has refilled completely (its owner has been quiet; it can be forgotten). */
    public boolean isFull(long nowNs) {
        return tokens + (nowNs - lastNs) * ratePerNs >= burst;
    }

    /** Takes one token if there is one. */
    public boolean tryTake(long nowNs) {
        long elapsed = nowNs - lastNs;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerNs);
            lastNs = nowNs;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
