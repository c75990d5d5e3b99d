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
        this(ratePerSecond / 1e9, burst, nowNs);
    }

    private TokenBucket(double ratePerNs, int burst, long nowNs) {
        this.ratePerNs = ratePerNs;
        this.burst = burst;
        this.tokens = burst;
        this.lastNs = nowNs;
    }

    /** A bucket refilling {@code perMinute} tokens a minute (slower than one a second). */
    public static TokenBucket perMinute(int perMinute, int burst, long nowNs) {
        return new TokenBucket(perMinute / 60e9, burst, nowNs);
    }

    /** Whether a token is there to take, without taking it. */
    public boolean hasToken(long nowNs) {
        return tokens + Math.max(0, nowNs - lastNs) * ratePerNs >= 1;
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
