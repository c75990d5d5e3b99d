package io.tickroom.server.net;

import io.tickroom.protocol.v1.Goodbye;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that pings every session each ping interval, closes a session that has sent
 * nothing (not even a pong) for the idle timeout, drops a session whose oldest write has stalled
 * past the write timeout, and drops one whose close handshake did not finish within an idle
 * period, and closes a session whose token expired (4001) unless it was refreshed. Our own pings count as write activity for Jetty's idle timeout, which is why liveness
 * is judged here from what the peer sends. Work per round is a pass over the open sessions; it never blocks on them.
 *
 * <p>Each session is pinged at its own phase (once per interval from when it connected), in a
 * pass every {@link #pingSlotMs} that pings only the sessions due, not every session in one
 * round: a round that pinged 1,600 sessions at once, and read their 1,600 pongs, held the tick
 * thread off the core for 75-80 ms every ten seconds (benchmarks/README.md, the afternoon sitting
 * of 2026-12-02).
 */
final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final Gateway gateway;
    private final long writeTimeoutNs;
    private final long idleTimeoutNs;
    private final long pingIntervalNs;
    private final ScheduledExecutorService timer;

    Housekeeper(
            Gateway gateway,
            long pingIntervalMs,
            long idleTimeoutMs,
            long writeTimeoutMs,
            java.util.concurrent.ThreadFactory thread) {
        this.gateway = gateway;
        this.idleTimeoutNs = TimeUnit.MILLISECONDS.toNanos(idleTimeoutMs);
        this.writeTimeoutNs = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMs);
        this.timer = Executors.newSingleThreadScheduledExecutor(thread);
        long periodMs = Math.max(50, Math.min(pingIntervalMs, Math.min(idleTimeoutMs, writeTimeoutMs) / 4));
        this.pingIntervalNs = TimeUnit.MILLISECONDS.toNanos(pingIntervalMs);
        timer.scheduleAtFixedRate(
                io.tickroom.server.thread.NodeThreads.escalating(this::round),
                periodMs,
                periodMs,
                TimeUnit.MILLISECONDS);
        long slotMs = pingSlotMs(pingIntervalMs);
        timer.scheduleAtFixedRate(
                io.tickroom.server.thread.NodeThreads.escalating(this::pingDue), slotMs, slotMs, TimeUnit.MILLISECONDS);
    }

    /** The ping pass's period: a fiftieth of the interval (200 ms at the default 10 s), 20 ms to 1 s. */
    static long pingSlotMs(long pingIntervalMs) {
        return Math.max(20, Math.min(1_000, pingIntervalMs / 50));
    }

    /** Pings the sessions whose interval has passed since their last ping (or their connect). */
    private void pingDue() {
        long now = gateway.time().nanoTime();
        for (WsEndpoint e : gateway.endpoints()) {
            try {
                ClientSession s = e.session();
                JettySink sink = e.sink();
                if (s == null || sink == null || s.isClosing() || now - e.lastServerPingNs < pingIntervalNs) {
                    continue;
                }
                e.lastServerPingNs = now;
                if (sink.isOpen()) {
                    sink.ping();
                }
            } catch (RuntimeException ex) {
                log.warn("ping failed for {}", e.session(), ex);
            }
        }
    }

    private void round() {
        long now = gateway.time().nanoTime();
        for (WsEndpoint e : gateway.endpoints()) {
            try {
                ClientSession s = e.session();
                JettySink sink = e.sink();
                if (s == null || sink == null) {
                    continue;
                }
                long heldSince = s.outbound().heldForResumeSinceNs();
                if (heldSince != 0 && now - heldSince > gateway.resumeHoldNs()) {
                    s.outbound().release(); // announced a resume that never came
                }
                if (!s.isClosing() && gateway.time().epochMillis() >= s.authExpiresAtMs()) {
                    s.send(ServerFrame.newBuilder()
                            .setGoodbye(Goodbye.newBuilder().setReason(CloseCodes.TOKEN_EXPIRED_REASON))
                            .build());
                    s.closeAt(CloseCodes.TOKEN_EXPIRED, CloseCodes.TOKEN_EXPIRED_REASON, now);
                    continue;
                }
                long stalledNs = s.outbound().stalledForNs(now);
                if (stalledNs > writeTimeoutNs) {
                    var out = s.outbound();
                    // what the stall looked like, ours and Jetty's view, so a real one can be told from a bug of ours
                    log.info(
                            "{}: write stalled past the write timeout, dropping it (no write completed for {} ms;"
                                    + " {} in flight, {} queued, {} bytes held; {} of {} writes completed; socket"
                                    + " open {}; Jetty: {})",
                            s,
                            stalledNs / 1_000_000,
                            out.inFlight(),
                            out.queuedFrames(),
                            out.heldBytes(),
                            out.writesCompleted(),
                            out.framesSent(),
                            sink.isOpen(),
                            sink.transportState());
                    s.abort();
                } else if ((s.isClosing() || s.outbound().overflowedAtNs() != 0) && sink.isOpen()) {
                    // a close frame can be stuck behind unread data, or never answered by a dead
                    // peer: give it one write timeout, then drop the connection
                    long since = Math.max(s.closingSinceNs(), s.outbound().overflowedAtNs());
                    if (since != 0 && now - since > writeTimeoutNs) {
                        s.abort();
                    }
                } else if (now - s.lastHeardNs() > idleTimeoutNs) {
                    log.debug("{}: nothing heard for the idle timeout, closing", s);
                    s.closeAt(CloseCodes.GOING_AWAY, CloseCodes.IDLE_TIMEOUT, now);
                }
            } catch (RuntimeException ex) {
                log.warn("housekeeping failed for {}", e.session(), ex);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
