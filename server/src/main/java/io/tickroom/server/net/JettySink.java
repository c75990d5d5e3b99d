package io.tickroom.server.net;

import io.tickroom.server.session.FrameSink;
import java.nio.ByteBuffer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/** The outbound queue's view of a Jetty WebSocket session. */
final class JettySink implements FrameSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final Session session;
    private WriteCallback lastDone;
    private Callback lastCallback;

    JettySink(Session session) {
        this.session = session;
    }

    @Override
    public void send(ByteBuffer frame, WriteCallback done) {
        session.sendBinary(frame, callbackFor(done));
    }

    /** The outbound queue passes the same callback on every write: wrap it once, not per frame. */
    private synchronized Callback callbackFor(WriteCallback done) {
        if (done != lastDone) {
            lastDone = done;
            lastCallback = Callback.from(() -> done.written(null), done::written);
        }
        return lastCallback;
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

    boolean isOpen() {
        return session.isOpen();
    }
}
