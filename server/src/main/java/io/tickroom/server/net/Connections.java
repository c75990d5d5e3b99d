package io.tickroom.server.net;

import io.tickroom.server.tick.TimeSource;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every TCP connection of the listener, from accept to close. Its client address counts against
 * the address's cap ({@link Admission#accepted}) from the moment it is accepted, whether it ever
 * completes a request or not; one accepted past the cap is answered 429 as soon as its request
 * head arrives ({@link ConnectionGate}). Until it is upgraded, a connection must deliver each
 * request head whole within {@code requestHeadTimeoutMs} of being accepted (or of its previous
 * response), and one past its address's cap within {@value #OVER_CAP_HEAD_TIMEOUT_MS} ms: a
 * client trickling its headers (slowloris) is closed at the deadline, however steadily it
 * trickles. Once upgraded, the connection is its WebSocket session's and the housekeeper judges
 * it. Jetty's threads only stamp; one sweeper thread closes the late, a pass over the
 * connections every quarter of the deadline (at most 250 ms).
 */
final class Connections implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Connections.class);
    static final long OVER_CAP_HEAD_TIMEOUT_MS = 1_000;

    /** One accepted connection. Its fields are stamped by Jetty's threads and read by the sweeper. */
    static final class Tracked {
        final String address;
        final SocketAddress remote;
        final boolean withinCap;
        private volatile SocketChannelEndPoint endPoint;
        /** When it started waiting for a request head (0: a request is being served, or it was upgraded). */
        private volatile long awaitingHeadSinceNs;

        private volatile boolean upgraded;
        private volatile Admission.Reservation reservation;
        /** What the connection's WebSocket session does when the socket goes (run once). */
        private volatile Runnable onClose;

        private final AtomicBoolean closed = new AtomicBoolean();

        private Tracked(String address, SocketAddress remote, boolean withinCap, long nowNs) {
            this.address = address;
            this.remote = remote;
            this.withinCap = withinCap;
            this.awaitingHeadSinceNs = nowNs;
        }

        /**
         * The WebSocket session took the connection over: no head deadline any more, and when the
         * socket goes, {@code whenClosed} runs (at once if it is gone already), whatever Jetty
         * tells the endpoint: a socket dropped in the middle of the upgrade never leaves a
         * session behind.
         */
        void upgraded(Runnable whenClosed) {
            upgraded = true;
            awaitingHeadSinceNs = 0;
            onClose = whenClosed;
            if (closed.get()) {
                whenClosed.run();
            }
        }
    }

    private final Admission admission;
    private final TimeSource time;
    private final long headTimeoutNs;
    private final long overCapHeadTimeoutNs;
    private final Map<SocketAddress, Tracked> byRemote = new ConcurrentHashMap<>();
    private final LongAdder headTimeouts = new LongAdder();
    private final ScheduledExecutorService sweeper;

    Connections(Admission admission, TimeSource time, long requestHeadTimeoutMs) {
        this.admission = admission;
        this.time = time;
        this.headTimeoutNs = TimeUnit.MILLISECONDS.toNanos(requestHeadTimeoutMs);
        this.overCapHeadTimeoutNs =
                TimeUnit.MILLISECONDS.toNanos(Math.min(OVER_CAP_HEAD_TIMEOUT_MS, requestHeadTimeoutMs));
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickroom-connections");
            t.setDaemon(true);
            return t;
        });
        long periodMs = Math.max(10, Math.min(250, requestHeadTimeoutMs / 4));
        sweeper.scheduleAtFixedRate(this::sweep, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** A connector whose every endpoint is tracked from accept to close. */
    ServerConnector connector(Server server, ConnectionFactory... factories) {
        return new ServerConnector(server, factories) {
            @Override
            protected SocketChannelEndPoint newEndPoint(
                    SocketChannel channel, ManagedSelector selector, SelectionKey key) throws IOException {
                Tracked t = accepted(channel.getRemoteAddress());
                TrackedEndPoint ep = new TrackedEndPoint(channel, selector, key, getScheduler(), () -> closed(t));
                ep.setIdleTimeout(getIdleTimeout());
                t.endPoint = ep;
                return ep;
            }
        };
    }

    /**
     * Jetty's plain socket endpoint that tells us when it closes, and nothing else: its reads and
     * writes are Jetty's own, so {@link JettySink}'s direct path may write its socket as it writes
     * a {@link SocketChannelEndPoint}'s.
     */
    static final class TrackedEndPoint extends SocketChannelEndPoint {
        private final Runnable onClosed;

        TrackedEndPoint(
                SocketChannel channel,
                ManagedSelector selector,
                SelectionKey key,
                Scheduler scheduler,
                Runnable onClosed) {
            super(channel, selector, key, scheduler);
            this.onClosed = onClosed;
        }

        @Override
        public void onClose(Throwable cause) {
            try {
                super.onClose(cause);
            } finally {
                onClosed.run();
            }
        }
    }

    private Tracked accepted(SocketAddress remote) {
        String address = remote instanceof InetSocketAddress i && i.getAddress() != null
                ? i.getAddress().getHostAddress()
                : String.valueOf(remote);
        Tracked t = new Tracked(address, remote, admission.accepted(address), time.nanoTime());
        Tracked stale = byRemote.put(remote, t);
        if (stale != null) {
            closed(stale); // its close was missed (cannot happen while its socket holds the port)
        }
        return t;
    }

    private void closed(Tracked t) {
        if (!t.closed.compareAndSet(false, true)) {
            return;
        }
        byRemote.remove(t.remote, t);
        admission.disconnected(t.address);
        Runnable hook = t.onClose;
        if (hook != null) {
            hook.run();
        }
        Admission.Reservation r = t.reservation;
        if (r != null) {
            r.release(); // the upgrade never completed, or the session is gone with its socket
        }
    }

    /** The connection a request came in on (null for one this listener did not accept). */
    Tracked of(SocketAddress remote) {
        return remote == null ? null : byRemote.get(remote);
    }

    /** A request head arrived whole on {@code t}: no deadline while it is served. */
    void headArrived(Tracked t) {
        t.awaitingHeadSinceNs = 0;
    }

    /** The response went: the connection waits for its next request head, against the deadline. */
    void responded(Tracked t) {
        if (!t.upgraded) {
            t.awaitingHeadSinceNs = time.nanoTime();
        }
    }

    /** The session slot reserved for the upgrade on {@code t}: released when the connection closes. */
    void hold(Tracked t, Admission.Reservation r) {
        t.reservation = r;
        if (t.closed.get()) {
            r.release(); // closed meanwhile: its close did not see the reservation
        }
    }

    private void sweep() {
        long now = time.nanoTime();
        for (Tracked t : byRemote.values()) {
            try {
                long since = t.awaitingHeadSinceNs;
                if (t.upgraded || since == 0) {
                    continue;
                }
                if (now - since > (t.withinCap ? headTimeoutNs : overCapHeadTimeoutNs)) {
                    SocketChannelEndPoint ep = t.endPoint;
                    if (ep != null) {
                        headTimeouts.increment();
                        log.debug("{}: no whole request head within the deadline, closing", t.remote);
                        ep.close();
                    }
                }
            } catch (RuntimeException e) {
                log.warn("sweeping {} failed", t.remote, e);
            }
        }
    }

    /** Connections closed for not delivering a request head in time. */
    long headTimeouts() {
        return headTimeouts.sum();
    }

    /** Connections open now (accepted, not closed). */
    int open() {
        return byRemote.size();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
