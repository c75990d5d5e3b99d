package io.tickroom.server.lobby;

import io.tickroom.server.session.TokenBucket;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A per-key budget (per user, per client address): a token bucket of {@code perMinute} tokens
 * refilling at that rate. The map is keyed by client input, so it is bounded: past
 * {@value #MAX_KEYS} keys the full (idle) buckets are forgotten, and if none is, a new key is
 * refused (policy: refuse new). Thread-safe: each bucket is used under its own lock.
 */
final class Quota {
    static final int MAX_KEYS = 100_000;
    private final int perMinute;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();

    Quota(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Takes one token of {@code key}'s budget; false when it is spent. */
    boolean tryTake(String key, long nowNs) {
        TokenBucket b = bucket(key, nowNs);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            return b.tryTake(nowNs);
        }
    }

    /** Whether {@code key} has budget left, without spending it. */
    boolean hasBudget(String key, long nowNs) {
        TokenBucket b = buckets.get(key);
        if (b == null) {
            return buckets.size() < MAX_KEYS || forgetIdle(nowNs);
        }
        synchronized (b) {
            return b.hasToken(nowNs);
        }
    }

    private TokenBucket bucket(String key, long nowNs) {
        TokenBucket b = buckets.get(key);
        if (b != null) {
            return b;
        }
        if (buckets.size() >= MAX_KEYS && !forgetIdle(nowNs)) {
            return null;
        }
        return buckets.computeIfAbsent(key, k -> TokenBucket.perMinute(perMinute, perMinute, nowNs));
    }

    /** Drops the buckets that refilled completely; whether there is room now. */
    private boolean forgetIdle(long nowNs) {
        Iterator<TokenBucket> it = buckets.values().iterator();
        while (it.hasNext()) {
            TokenBucket b = it.next();
            synchronized (b) {
                if (b.isFull(nowNs)) {
                    it.remove();
                }
            }
        }
        return buckets.size() < MAX_KEYS;
    }

    /** Keys with a bucket now (a leak check: bounded by MAX_KEYS). */
    int size() {
        return buckets.size();
    }
}
