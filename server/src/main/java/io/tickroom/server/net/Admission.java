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
 * {@code maxConnectionsPerIp} connections, counted from accept to close whatever they are
 * doing ({@link Connections}: one still sending its request head counts too). Per user: at most
 * {@code maxSessionsPerUser} sessions on this node (policy: the newest is refused, the open ones
 * stay), reserved at the check, atomically, like nginx's {@code limit_conn}: concurrent
 * handshakes of one user cannot all pass it; the slot is released when the session closes, or
 * when the upgrade never completes (the connection closes without a session). The bucket map is
 * keyed by client input, so it is bounded: past {@code maxTrackedAddresses}, idle buckets are
 * forgotten, and if none is idle a new address is refused (policy: refuse new). The address is
 * the TCP peer's: behind a proxy, limit at the proxy or every client shares its address.
 */
final class Admission {
    private final SessionConfig config;
    private final LongSupplier nanoClock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> open = new ConcurrentHashMap<>();
    /** Sessions per user on this node, counted from the reservation at the handshake to their release. */
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
            bucket = buckets.computeIfAbsent(
                    address,
                    k -> new TokenBucket(config.handshakesPerSecondPerIp(), config.handshakeBurstPerIp(), now));
        }
        boolean allowed;
        synchronized (bucket) {
            allowed = bucket.tryTake(now);
        }
        if (!allowed) {
            throw refuse("too many connection attempts from " + address + " (over " + config.handshakesPerSecondPerIp()
                    + "/s)");
        }
    }

    /** A connection from {@code address} was accepted; whether it is within the address's cap. */
    boolean accepted(String address) {
        return open.computeIfAbsent(address, k -> new AtomicInteger()).incrementAndGet()
                <= config.maxConnectionsPerIp();
    }

    /** A connection counted by {@link #accepted} closed. */
    void disconnected(String address) {
        open.computeIfPresent(address, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    /** The refusal of a connection accepted past its address's cap (counted like every 429). */
    HandshakeRejection overAddressCap(String address) {
        return refuse("too many open connections from " + address + " (" + config.maxConnectionsPerIp() + ")");
    }

    /**
     * After the token: reserves one of the user's sessions on this node, or refuses. The
     * reservation is the session's slot until {@link Reservation#release} (idempotent).
     */
    Reservation reserveUser(String userId) throws HandshakeRejection {
        boolean[] granted = {false};
        openPerUser.compute(userId, (k, n) -> {
            AtomicInteger c = n == null ? new AtomicInteger() : n;
            if (c.get() < config.maxSessionsPerUser()) {
                c.incrementAndGet();
                granted[0] = true;
            }
            return c.get() == 0 ? null : c;
        });
        if (!granted[0]) {
            throw refuse("too many sessions for this user (" + config.maxSessionsPerUser() + " per node); close one");
        }
        return new Reservation(userId);
    }

    /** One user's session slot, held from the handshake to the session's close (or the failed upgrade). */
    final class Reservation {
        private final String userId;
        private final java.util.concurrent.atomic.AtomicBoolean released =
                new java.util.concurrent.atomic.AtomicBoolean();

        private Reservation(String userId) {
            this.userId = userId;
        }

        /** Gives the slot back; only the first call counts. Any thread. */
        void release() {
            if (released.compareAndSet(false, true)) {
                openPerUser.computeIfPresent(userId, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            }
        }
    }

    /** Users holding session slots on this node (a leak check: 0 when none). */
    int usersHoldingSlots() {
        return openPerUser.size();
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

    /** Addresses with connections, counted from accept (a leak check: 0 when none). */
    int addressesOpen() {
        return open.size();
    }
}
