package io.tickroom.server.net;

import io.tickroom.server.session.FrameSink;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** The outbound queue's view of a Jetty WebSocket session. */
final class JettySink implements FrameSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final Session session;

    private record Wrapped(WriteCallback done, Callback callback) {}

    private volatile Wrapped wrapped;

    JettySink(Session session) {
        this.session = session;
    }

    @Override
    public void send(ByteBuffer frame, WriteCallback done) {
        session.sendBinary(frame, callbackFor(done));
    }

    /**
     * The outbound queue passes the same callback on every write: wrap it once, not per frame.
     * No lock on this per-frame path; a race only wraps twice.
     */
    private Callback callbackFor(WriteCallback done) {
        Wrapped w = wrapped;
        if (w == null || w.done() != done) {
            w = new Wrapped(done, Callback.from(() -> done.written(null), done::written));
            wrapped = w;
        }
        return w.callback();
    }

    @Override
    public void close(int code, String reason) {
        session.close(code, reason, Callback.NOOP);
    }

    @Override
    public void abort() {
        session.disconnect();
    }

    void ping() {
        session.sendPing(EMPTY.duplicate(), Callback.NOOP);
    }

    /** Answers a peer's ping with its payload (copied: Jetty reuses the buffer it handed us). */
    void pong(ByteBuffer pingPayload) {
        ByteBuffer copy = ByteBuffer.allocate(pingPayload.remaining());
        copy.put(pingPayload.duplicate()).flip();
        session.sendPong(copy, Callback.NOOP);
    }

    boolean isOpen() {
        return session.isOpen();
    }
}
