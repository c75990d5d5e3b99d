package io.tickroom.server.net;

import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.TokenBucket;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection, already authenticated. Public because Jetty binds endpoints with
 * method handles. Auto-demanding: Jetty reads the next frame only after the previous one's
 * callback completes, so a session's frames are decoded one at a time, in order, and handed to
 * the session's lane in that order. Every callback here returns without waiting: open and close
 * only hand over to the lane. Overriding {@link #onWebSocketPing} turns Jetty's automatic pong
 * off, so every ping is answered here (RFC 6455 §5.5.2), within the ping rate: a ping over it is
 * not answered and costs a strike, and a connection out of strikes is closed 1008 "rate limit
 * exceeded".
 */
public final class WsEndpoint implements Session.Listener.AutoDemanding {
    private static final Logger log = LoggerFactory.getLogger(WsEndpoint.class);

    private final Gateway gateway;
    private final Principal principal;
    private final Namespace namespace;
    private final String remoteAddress;
    private volatile ClientSession session;
    private volatile JettySink sink;
    /** Pings answered (Jetty reads one connection's frames one at a time: no lock needed). */
    private final TokenBucket pings;

    private final TokenBucket pingStrikes;

    private final boolean resuming;
    /** This session's slot among its user's, reserved at the handshake; released when it ends. */
    private final Admission.Reservation slot;

    private final Connections.Tracked connection;

    WsEndpoint(
            Gateway gateway,
            Principal principal,
            Namespace namespace,
            String remoteAddress,
            boolean resuming,
            Admission.Reservation slot,
            Connections.Tracked connection) {
        this.resuming = resuming;
        this.slot = slot;
        this.connection = connection;
        this.gateway = gateway;
        this.principal = principal;
        this.namespace = namespace;
        this.remoteAddress = remoteAddress;
        long now = gateway.time().nanoTime();
        this.pings = new TokenBucket(
                gateway.limits().pingsPerSecond(), gateway.limits().pingBurst(), now);
        int strikes = gateway.limits().floodCloseAfter();
        this.pingStrikes = new TokenBucket(Math.max(1, strikes / 10), strikes, now);
    }

    @Override
    public void onWebSocketOpen(Session socket) {
        sink = new JettySink(socket);
        session = gateway.open(this, sink, principal, namespace, remoteAddress, resuming);
        session.heardFrom(gateway.time().nanoTime());
        if (connection != null) {
            connection.upgraded(this::socketGone);
        }
    }

    /** The TCP connection closed (seen by the listener, whatever Jetty told this endpoint). */
    private void socketGone() {
        ClientSession s = session;
        if (s != null) {
            gateway.closed(this, s, CloseCodes.ABNORMAL, "connection lost");
        }
        slot.release();
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        heard();
    }

    @Override
    public void onWebSocketPing(ByteBuffer payload) {
        heard();
        ClientSession s = session;
        JettySink k = sink;
        if (s == null || k == null || s.isClosing()) {
            return;
        }
        long now = gateway.time().nanoTime();
        if (pings.tryTake(now)) {
            k.pong(payload);
            return;
        }
        gateway.pingRefused();
        if (!pingStrikes.tryTake(now)) {
            s.closeAt(CloseCodes.POLICY_VIOLATION, CloseCodes.RATE_LIMIT_EXCEEDED, now);
        }
    }

    private void heard() {
        ClientSession s = session;
        if (s != null) {
            s.heardFrom(gateway.time().nanoTime());
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            ClientSession s = session;
            heard();
            gateway.received(payload.remaining());
            if (s != null && !s.isClosing()) {
                gateway.dispatcher(namespace).onFrame(s, payload);
            }
            callback.succeed();
        } catch (Throwable t) {
            callback.fail(t);
        }
    }

    @Override
    public void onWebSocketText(String message) {
        ClientSession s = session;
        if (s != null) {
            s.closeAt(
                    CloseCodes.UNSUPPORTED_DATA,
                    CloseCodes.BINARY_ONLY,
                    gateway.time().nanoTime());
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        ClientSession s = session;
        if (s != null) {
            log.debug("{} closed: {} {}", s, statusCode, reason);
            gateway.closed(this, s, statusCode, reason);
        }
        slot.release();
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        log.debug("{}: {}", session, cause.toString());
        if (session == null) {
            slot.release(); // the upgrade failed before the session opened
        }
    }

    ClientSession session() {
        return session;
    }

    JettySink sink() {
        return sink;
    }
}
