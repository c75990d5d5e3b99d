package io.tickroom.server.testing;

import io.tickroom.server.session.FrameSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A socket stand-in for socket-free tests: records what is written and closed; completes writes
 * at once ({@code autoComplete}) or when the test says, to play a peer that stops reading.
 */
public final class RecordingSink implements FrameSink {
    public final List<ByteBuffer> written = new ArrayList<>();
    public final List<WriteCallback> pending = new ArrayList<>();
    public final List<String> events = new ArrayList<>();
    public boolean autoComplete = true;
    public int closeCode;
    public String closeReason;
    public boolean aborted;

    @Override
    public synchronized void send(ByteBuffer frame, WriteCallback done) {
        written.add(frame.duplicate()); // the frame is shared: the test reads its own view
        events.add("frame");
        if (autoComplete) {
            done.written(null);
        } else {
            pending.add(done);
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        closeCode = code;
        closeReason = reason;
        events.add("close " + code);
    }

    @Override
    public synchronized void abort() {
        aborted = true;
    }

    /** Completes the oldest pending write, as if the peer read it. */
    public void completeOne() {
        WriteCallback cb;
        synchronized (this) {
            cb = pending.remove(0);
        }
        cb.written(null);
    }
}
