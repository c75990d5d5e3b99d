package io.tickroom.server.net;

import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.session.TokenBucket;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Who may open a connection, judged at the handshake (HTTP 429 with {@code Retry-After}, before
 * any socket exists). Per client address: at most {@code handshakesPerSecondPerIp} upgrade
 * attempts (a token bucket, burst {@code handshakeBurstPerIp}) and at most
 * {@code maxConnectionsPerIp} open connections. Per user: at most {@code maxSessionsPerUser}
 * sessions on this node (policy: the newest is refused, the open ones stay). The bucket map is
 * keyed by client input, so it is bounded: past {@code maxTrackedAddresses}, idle buckets are
 * forgotten, and if none is idle a new address is refused (policy: refuse new). The address is
 * the TCP peer's: behind a proxy, limit at the proxy or every client shares its address.
 */
final class Admission {
    private final SessionConfig config;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    /** Open connections per user on this node, counted from the upgrade to the socket's close. */
    private final Map<String, AtomicInteger> openPerUser = new ConcurrentHashMap<>();
    private final LongAdder refused = new LongAdder();

    Admission(SessionConfig config, LongSupplier nanoClock) {
        this.config = config;
        this.nanoClock = nanoClock;
    }

    /** Before the token is even looked at: the address's handshake rate and open connections. */
    void checkAddress(String address) throws HandshakeRejection {
        long now = nanoClock.getAsLong();
        TokenBucket bucket = buckets.get(address);
        if (bucket == null) {
            if (buckets.size() >= config.maxTrackedAddresses()) {
                forgetIdle(now);
                if (buckets.size() >= config.maxTrackedAddresses()) {
                    throw refuse("too many clients right now; retry later");
                }
            }
            bucket = buckets.computeIfAbsent(address,
                    k -> new TokenBucket(config.handshakesPerSecondPerIp(), config.handshakeBurstPerIp(), now));
        }
        boolean allowed;
        synchronized (bucket) {
            allowed = bucket.tryTake(now);
        }
        if (!allowed) {
            throw refuse("too many connection attempts from " + address + " (over "
                    + config.handshakesPerSecondPerIp() + "/s)");
        }
        AtomicInteger n = open.get(address);
        if (n != null && n.get() >= config.maxConnectionsPerIp()) {
            throw refuse("too many open connections from " + address + " (" + config.maxConnectionsPerIp() + ")");
        }
    }

    /**
     * After the token: the user's sessions on this node, counted by the gateway from the upgrade
     * on (the registry learns of a session only once its lane ran the open).
     */
    void checkUser(String userId) throws HandshakeRejection {
        AtomicInteger n = openPerUser.get(userId);
        if (n != null && n.get() >= config.maxSessionsPerUser()) {
            throw refuse("too many sessions for this user (" + config.maxSessionsPerUser() + " per node); close one");
        }
    }

    void opened(String address, String userId) {
        open.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet();
        openPerUser.computeIfAbsent(userId, k -> new AtomicInteger()).incrementAndGet();
    }

    void closed(String address, String userId) {
        open.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
        openPerUser.computeIfPresent(userId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private void forgetIdle(long now) {
        Iterator<Map.Entry<String, TokenBucket>> it = buckets.entrySet().iterator();
        while (it.hasNext()) {
            TokenBucket b = it.next().getValue();
            synchronized (b) {
                if (b.isFull(now)) {
                    it.remove();
                }
            }
        }
    }

    private HandshakeRejection refuse(String why) {
        refused.increment();
        return new HandshakeRejection(429, why);
    }

    /** Handshakes refused with 429. */
    long refused() {
        return refused.sum();
    }

    /** Addresses with open connections (a leak check: 0 when none). */
    int addressesOpen() {
        return open.size();
    }
}
