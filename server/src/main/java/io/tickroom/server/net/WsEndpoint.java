package io.tickroom.server.net;

import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.TokenBucket;
import java.nio.ByteBuffer;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection, already authenticated: a frame handler on Jetty's core WebSocket
 * session, with no API layer between (that layer kept the upgrade's whole HTTP request and
 * response reachable for the life of the connection, about 3.5 KB each, and wrapped every frame
 * and callback). Jetty reads the next frame only when this asks for it ({@link CoreSession#demand}),
 * after the previous one is handled, so a session's frames are decoded one at a time, in order,
 * and handed to the session's lane in that order. Every callback here returns without waiting:
 * open and close only hand over to the lane.
 *
 * <p>Frames, by opcode: a binary message goes to the dispatcher; one sent in fragments is put
 * together first, up to the largest frame allowed (past it: closed 1009); a text message closes
 * the session 1003 "binary frames only"; every ping is answered here (RFC 6455 §5.5.2), within the
 * ping rate: a ping over it is not answered and costs a strike, and a connection out of strikes
 * is closed 1008 "rate limit exceeded"; pongs only count as hearing from the peer; a close is
 * answered by Jetty once its callback completes.
 */
final class WsEndpoint implements FrameHandler {
    private static final Logger log = LoggerFactory.getLogger(WsEndpoint.class);

    private final Gateway gateway;
    private final Principal principal;
    private final Namespace namespace;
    private final String remoteAddress;
    private final int maxMessageBytes;
    private volatile ClientSession session;
    private volatile JettySink sink;
    private volatile CoreSession socket;
    /** Pings answered (Jetty reads one connection's frames one at a time: no lock needed). */
    /** When the housekeeper last pinged this peer (its connect, before the first): the housekeeper's thread only. */
    long lastServerPingNs;

    private final TokenBucket pings;

    private final TokenBucket pingStrikes;
    /** A binary message arriving in fragments, put together (null between messages). */
    private ByteBuffer fragments;
    /** Inside a fragmented text message: its continuations are dropped (the session is closing). */
    private boolean inText;
    /**
     * The close frame the peer sent, if any. Jetty closes the socket before it tells the handler
     * the session closed ({@link #onClosed}), so the listener's "socket gone" comes first and
     * must carry the peer's code (1000 "the player quit"), not 1006 "connection lost".
     */
    private volatile CloseStatus peerClose;

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
            Connections.Tracked connection,
            int maxMessageBytes) {
        this.resuming = resuming;
        this.slot = slot;
        this.connection = connection;
        this.gateway = gateway;
        this.principal = principal;
        this.namespace = namespace;
        this.remoteAddress = remoteAddress;
        this.maxMessageBytes = maxMessageBytes;
        long now = gateway.time().nanoTime();
        this.lastServerPingNs = now;
        this.pings = new TokenBucket(
                gateway.limits().pingsPerSecond(), gateway.limits().pingBurst(), now);
        int strikes = gateway.limits().floodCloseAfter();
        this.pingStrikes = new TokenBucket(Math.max(1, strikes / 10), strikes, now);
    }

    @Override
    public void onOpen(CoreSession coreSession, Callback callback) {
        socket = coreSession;
        sink = new JettySink(coreSession);
        session = gateway.open(this, sink, principal, namespace, remoteAddress, resuming);
        session.heardFrom(gateway.time().nanoTime());
        if (connection != null) {
            connection.upgraded(this::socketGone);
        }
        callback.succeeded();
        coreSession.demand();
    }

    /** The TCP connection closed (seen by the listener, whatever Jetty told this endpoint). */
    private void socketGone() {
        ClientSession s = session;
        CloseStatus said = peerClose;
        if (s != null && said != null) {
            gateway.closed(this, s, said.getCode(), said.getReason());
        } else if (s != null) {
            gateway.closed(this, s, CloseCodes.ABNORMAL, "connection lost");
        }
        slot.release();
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        byte opcode = frame.getOpCode();
        try {
            switch (opcode) {
                case OpCode.BINARY -> binary(frame);
                case OpCode.CONTINUATION -> continuation(frame);
                case OpCode.TEXT -> text(frame);
                case OpCode.PING -> ping(frame.getPayload());
                case OpCode.PONG -> heard();
                case OpCode.CLOSE -> {
                    peerClose = CloseStatus.getCloseStatus(frame);
                    // Jetty answers it once the callback succeeds, with a write of its own: that
                    // waits until nothing of ours is in flight (one writer per endpoint)
                    JettySink k = sink;
                    if (k != null) {
                        k.whenIdle(callback::succeeded);
                    } else {
                        callback.succeeded();
                    }
                    return;
                }
                default -> {}
            }
            callback.succeeded();
        } catch (Throwable t) {
            callback.failed(t);
            return;
        }
        if (opcode != OpCode.CLOSE) {
            socket.demand();
        }
    }

    private void binary(Frame frame) {
        if (frame.isFin()) {
            deliver(payload(frame));
            return;
        }
        fragments = ByteBuffer.allocate(Math.min(maxMessageBytes, Math.max(1024, 2 * frame.getPayloadLength())));
        append(frame);
    }

    private void continuation(Frame frame) {
        if (inText) {
            inText = !frame.isFin();
            return;
        }
        if (fragments == null) {
            return; // after a message found too large: the session is closing
        }
        append(frame);
        if (frame.isFin()) {
            ByteBuffer whole = fragments.flip();
            fragments = null;
            deliver(whole);
        }
    }

    /** Adds a fragment; past the largest message allowed, drops it all and closes 1009. */
    private void append(Frame frame) {
        ByteBuffer part = payload(frame);
        if (fragments.position() + part.remaining() > maxMessageBytes) {
            fragments = null;
            ClientSession s = session;
            if (s != null) {
                s.closeAt(
                        CloseCodes.MESSAGE_TOO_BIG,
                        "message too big",
                        gateway.time().nanoTime());
            }
            return;
        }
        if (fragments.remaining() < part.remaining()) {
            int size = Math.min(
                    maxMessageBytes, Math.max(2 * fragments.capacity(), fragments.position() + part.remaining()));
            fragments = ByteBuffer.allocate(size).put(fragments.flip());
        }
        fragments.put(part);
    }

    private static ByteBuffer payload(Frame frame) {
        ByteBuffer p = frame.getPayload();
        return p == null ? ByteBuffer.allocate(0) : p;
    }

    private void deliver(ByteBuffer message) {
        ClientSession s = session;
        heard();
        gateway.received(message.remaining());
        if (s != null && !s.isClosing()) {
            gateway.dispatcher(namespace).onFrame(s, message);
        }
    }

    private void text(Frame frame) {
        inText = !frame.isFin();
        ClientSession s = session;
        if (s != null) {
            s.closeAt(
                    CloseCodes.UNSUPPORTED_DATA,
                    CloseCodes.BINARY_ONLY,
                    gateway.time().nanoTime());
        }
    }

    private void ping(ByteBuffer payload) {
        heard();
        ClientSession s = session;
        JettySink k = sink;
        if (s == null || k == null || s.isClosing()) {
            return;
        }
        long now = gateway.time().nanoTime();
        if (pings.tryTake(now)) {
            k.pong(payload == null ? ByteBuffer.allocate(0) : payload);
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
    public void onClosed(CloseStatus status, Callback callback) {
        ClientSession s = session;
        if (s != null) {
            log.debug("{} closed: {} {}", s, status.getCode(), status.getReason());
            gateway.closed(this, s, status.getCode(), status.getReason());
        }
        slot.release();
        callback.succeeded();
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        log.debug("{}: {}", session, cause.toString());
        if (session == null) {
            slot.release(); // the upgrade failed before the session opened
        }
        callback.succeeded();
    }

    ClientSession session() {
        return session;
    }

    JettySink sink() {
        return sink;
    }
}
