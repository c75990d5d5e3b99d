package io.tickroom.server.net;

import io.tickroom.server.session.FrameSink;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * The outbound queue's view of a WebSocket connection: it frames what the session sends itself
 * and writes it straight to the connection's endpoint, one gathering write at a time (each frame's
 * 2–10 byte header and its payload; the frames waiting when a write completes go out together).
 * Jetty's own write path costs an entry, a callback, two queues and their locks per frame (~60 %
 * of the user time of a delivery, perf: benchmarks/README.md).
 *
 * <p><b>The direct path</b> (the common case: nothing of this connection is in flight or waiting):
 * {@link #send} frames the payload into the sending thread's own direct buffer and flushes it to
 * the endpoint at once, one {@code write(2)} with no copy by the JDK, no allocation and no
 * callback machinery; what the socket did not take (a full send buffer) is copied out and goes on
 * through Jetty's {@code write} with its callback, and everything sent meanwhile waits behind it.
 * Frames bigger than {@link #DIRECT_MAX} and control frames take the gathering path (the
 * {@link Writer}). Either way exactly one write is in flight ({@code writing}), so frames go out
 * in the order they were sent and completions are reported in that order.
 *
 * <p>One writer per endpoint: Jetty's frame flusher may only write when this writer is idle (two
 * writes at once fail with {@code WritePendingException}), so everything this node sends (data,
 * pings, pongs) goes through here, and what Jetty writes itself (a close frame: ours, or its
 * answer to the peer's) is handed to it only once nothing of ours is in flight ({@link #whenIdle}),
 * after which nothing more is written here. A write that never completes (a peer that does not
 * read) keeps the close waiting; the housekeeper drops such a connection after the write timeout.
 *
 * <p>Bounded: data frames waiting here are at most the outbound queue's in-flight limit (it hands
 * over no more); at most one ping and {@link #MAX_PONGS_WAITING} pongs wait.
 */
final class JettySink implements FrameSink {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final CoreSession session;
    private final EndPoint endPoint;
    /**
     * The endpoint when it is a plain socket (not TLS): the direct path writes its one buffer with
     * {@code write(2)} where {@link EndPoint#flush} always gathers ({@code writev} of one).
     */
    private final SocketChannelEndPoint plain;

    private final Writer writer = new Writer();

    /** Frames (header included) the direct path takes; bigger ones go through the writer. */
    static final int DIRECT_MAX = 16 * 1024;

    /**
     * Each writing thread's buffer for the direct path, used only inside one {@link #send} (what
     * the socket does not take is copied out before it returns). Bounded by the threads that
     * write: the tick threads, the lanes, Jetty's and the node's few timers.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** A thread's direct buffer, and the one-element array {@code flush(ByteBuffer...)} takes (no array per call). */
    private static final class Scratch {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(DIRECT_MAX);
        final ByteBuffer[] one = {buffer};
    }

    /** Direct writes the socket took only part of (the node's, in all: tests see the path taken). */
    private static final LongAdder DIRECT_LEFT_OVER = new LongAdder();

    static long directWritesLeftOver() {
        return DIRECT_LEFT_OVER.sum();
    }

    // guarded by this
    /** Frames waiting for the write in flight (shared, read-only: sliced when taken); grows to the in-flight limit. */
    private final ArrayDeque<ByteBuffer> data = new ArrayDeque<>(2);
    /** A write is in flight, by the direct path or the writer: nobody else may start one. */
    private boolean writing;
    /**
     * What the direct path's flush left of its frame, handed to the writer with the write in
     * flight ({@code writing} stays set): the writer writes it before anything else.
     */
    private ByteBuffer rest;

    private WriteCallback dataDone;
    private boolean pingWaiting;
    /** Pongs not yet written, oldest first (made on the first ping answered; at most MAX_PONGS_WAITING). */
    private ArrayDeque<ByteBuffer> pongs;

    private Runnable onIdle;
    private boolean handedOver;
    private Throwable failed;

    /**
     * Pongs that may wait; the ping rate limit answers at most its burst at once, so this is only
     * reached past it. Policy past it: the oldest is dropped (RFC 6455 lets a peer's earlier pings
     * go unanswered when a later one is).
     */
    private static final int MAX_PONGS_WAITING = 32;

    /** Frames one write takes at most (their headers share one small array; the rest go in the next). */
    private static final int FRAMES_PER_WRITE = 8;

    // the write in flight (only the writer touches these between process() and its completion);
    // allocated with the first write: a 10-byte header slot per frame, reused by every write after it
    private byte[] headers;
    private int dataInWrite;

    /** {@code session} is Jetty's server-side core session (the only kind a server upgrade makes). */
    JettySink(CoreSession session) {
        this.session = session;
        this.endPoint = ((WebSocketCoreSession) session).getConnection().getEndPoint();
        // exactly Jetty's plain endpoint, or ours that only hears of its close: another subclass
        // (traffic listeners) may do more in flush
        Class<?> type = endPoint.getClass();
        this.plain = type == SocketChannelEndPoint.class || type == Connections.TrackedEndPoint.class
                ? (SocketChannelEndPoint) endPoint
                : null;
        if (plain != null) {
            PLAIN_SINKS.increment();
        }
    }

    /**
     * Sinks made on a plain socket, whose direct path writes with {@code write(2)} (the node's, in
     * all: a test sees that a node's connections take it; counted once per connection, not per write).
     */
    private static final LongAdder PLAIN_SINKS = new LongAdder();

    static long plainSinks() {
        return PLAIN_SINKS.sum();
    }

    /** Whether nothing more is written here: a write failed, or the connection is Jetty's now (guarded by this). */
    private boolean shut() {
        return failed != null || handedOver;
    }

    /** {@inheritDoc} The frame is not changed (it is shared by a broadcast's recipients). */
    @Override
    public void send(ByteBuffer frame, WriteCallback done) {
        Throwable refused;
        boolean direct = false;
        synchronized (this) {
            refused = !shut() ? null : failed != null ? failed : new ClosedChannelException();
            if (refused == null) {
                dataDone = done; // the outbound queue passes the same callback every time
                direct = !writing // (also set while a direct write's rest waits for the writer)
                        && data.isEmpty()
                        && !pingWaiting
                        && (pongs == null || pongs.isEmpty())
                        && frame.remaining() <= DIRECT_MAX - 10;
                if (direct) {
                    writing = true;
                } else {
                    data.add(frame);
                }
            }
        }
        if (refused != null) {
            done.written(refused);
        } else if (direct) {
            writeDirect(frame, done);
        } else {
            writer.iterate();
        }
    }

    /**
     * The direct path: frames {@code frame} into this thread's buffer and flushes it; holds
     * {@code writing} (taken by {@link #send}) until the frame is written or handed to the writer.
     */
    private void writeDirect(ByteBuffer frame, WriteCallback done) {
        Scratch scratch = SCRATCH.get();
        ByteBuffer out = scratch.buffer.clear();
        int length = frame.remaining();
        out.put((byte) (0x80 | OpCode.BINARY));
        if (length < 126) {
            out.put((byte) length);
        } else {
            out.put((byte) 126).putShort((short) length); // DIRECT_MAX < 65,536
        }
        out.put(out.position(), frame, frame.position(), length)
                .position(out.position() + length)
                .flip();
        boolean complete;
        try {
            complete = plain != null ? writePlain(out) : endPoint.flush(scratch.one);
        } catch (Throwable e) {
            fail(e, 1);
            return;
        }
        if (!complete) {
            // the socket's buffer is full: the rest goes through Jetty's write, in its turn first
            // (the write stays ours until the writer takes it over: nothing can start in between)
            ByteBuffer left = ByteBuffer.allocate(out.remaining()).put(out).flip();
            DIRECT_LEFT_OVER.increment();
            synchronized (this) {
                rest = left;
            }
            writer.iterate();
            return;
        }
        done.written(null); // before another write may start: completions stay in order
        boolean more;
        synchronized (this) {
            writing = false;
            more = !data.isEmpty() || pingWaiting || (pongs != null && !pongs.isEmpty()) || onIdle != null;
        }
        if (more) {
            writer.iterate();
        }
    }

    /** What {@link SocketChannelEndPoint#flush} does for one buffer, with a plain write. */
    private boolean writePlain(ByteBuffer out) throws java.io.IOException {
        if (plain.getChannel().write(out) > 0) {
            plain.notIdle(); // as flush does: a connection that is written to is not idle
        }
        return !out.hasRemaining();
    }

    /**
     * A write failed ({@code inWrite} data frames were in it): everything waiting fails with it, the
     * connection is dropped, and a close handshake waiting on us finds it gone.
     */
    private void fail(Throwable cause, int inWrite) {
        WriteCallback cb;
        int waiting;
        synchronized (this) {
            failed = cause;
            writing = false;
            cb = dataDone;
            waiting = data.size() + (rest != null ? 1 : 0);
            data.clear();
            rest = null;
            pingWaiting = false;
            pongs = null;
        }
        for (int i = 0; cb != null && i < inWrite + waiting; i++) {
            cb.written(cause);
        }
        Runnable idle;
        synchronized (this) {
            idle = onIdle;
            onIdle = null;
        }
        session.abort();
        if (idle != null) {
            idle.run();
        }
    }

    /** Sends a ping (the housekeeper's); one waits at most. */
    void ping() {
        control(null);
    }

    /** Answers a peer's ping with its payload (copied: Jetty reuses the buffer it handed us). */
    void pong(ByteBuffer pingPayload) {
        ByteBuffer copy = ByteBuffer.allocate(Math.min(125, pingPayload.remaining()));
        copy.put(pingPayload.duplicate().limit(pingPayload.position() + copy.capacity()))
                .flip();
        control(copy);
    }

    /** A ping ({@code pong} null) or a pong to go out with the next write; dropped once shut. */
    private void control(ByteBuffer pong) {
        synchronized (this) {
            if (shut()) {
                return;
            }
            if (pong == null) {
                pingWaiting = true;
            } else {
                if (pongs == null) {
                    pongs = new ArrayDeque<>(2);
                } else if (pongs.size() == MAX_PONGS_WAITING) {
                    pongs.poll();
                }
                pongs.add(pong);
            }
        }
        writer.iterate();
    }

    /**
     * Runs {@code then} once nothing of ours is in flight (at once when idle), and from then on
     * writes nothing more: the connection's next writes are Jetty's (a close frame).
     */
    void whenIdle(Runnable then) {
        boolean now;
        synchronized (this) {
            now = shut();
            if (!now) {
                Runnable first = onIdle;
                onIdle = first == null
                        ? then
                        : () -> {
                            first.run();
                            then.run();
                        };
            }
        }
        if (now) {
            then.run(); // Jetty writes already (or nothing will be written): nothing to wait for
            return;
        }
        writer.iterate();
    }

    @Override
    public void close(int code, String reason) {
        whenIdle(() -> session.close(code, reason, Callback.NOOP));
    }

    @Override
    public void abort() {
        session.abort();
    }

    boolean isOpen() {
        return session.isOutputOpen();
    }

    /**
     * Jetty's view of the connection and ours, for the log line of a stalled write: the session
     * state, the endpoint (open, fill and flush interest), and this writer's state.
     */
    String transportState() {
        String ours;
        synchronized (this) {
            ours = "writer " + writer + ", writing " + writing + ", " + data.size() + " data frames waiting"
                    + (rest != null ? ", " + rest.remaining() + " bytes of a direct write left" : "")
                    + ", handed over " + handedOver;
        }
        return session + " " + endPoint + " " + ours;
    }

    /** Writes the header of an unmasked, final frame of {@code opcode} and {@code length} bytes at {@code at}; returns its length. */
    private int header(int at, byte opcode, int length) {
        headers[at] = (byte) (0x80 | opcode);
        if (length < 126) {
            headers[at + 1] = (byte) length;
            return 2;
        }
        if (length <= 0xFFFF) {
            headers[at + 1] = 126;
            headers[at + 2] = (byte) (length >>> 8);
            headers[at + 3] = (byte) length;
            return 4;
        }
        headers[at + 1] = 127;
        for (int i = 0; i < 8; i++) {
            headers[at + 2 + i] = (byte) (i < 4 ? 0 : length >>> (8 * (7 - i)));
        }
        return 10;
    }

    /** The one writer: takes what waits, writes it, and on completion tells the queue and goes on. */
    private final class Writer extends IteratingCallback {
        @Override
        protected Action process() {
            Runnable idle = null;
            int n = 0;
            ByteBuffer[] out = null;
            synchronized (JettySink.this) {
                if (shut()) {
                    return Action.IDLE;
                }
                if (rest != null) { // a direct write hands over what it left (with its `writing`): one data frame
                    out = new ByteBuffer[] {rest};
                    rest = null;
                    dataInWrite = 1;
                    return write(out);
                }
                if (writing) {
                    return Action.IDLE; // the direct path writes: it calls iterate() when it is done
                }
                int pongFrames = pongs == null ? 0 : Math.min(pongs.size(), FRAMES_PER_WRITE - 1);
                int controls = (pingWaiting ? 1 : 0) + pongFrames;
                int dataFrames = Math.min(data.size(), FRAMES_PER_WRITE - controls);
                int frames = controls + dataFrames;
                if (frames > 0) {
                    if (headers == null) {
                        headers = new byte[10 * FRAMES_PER_WRITE];
                    }
                    out = new ByteBuffer[2 * frames];
                }
                int frame = 0;
                if (pingWaiting) {
                    pingWaiting = false;
                    n = add(out, n, frame++, OpCode.PING, EMPTY);
                }
                for (int i = 0; i < pongFrames; i++) {
                    n = add(out, n, frame++, OpCode.PONG, pongs.poll());
                }
                dataInWrite = 0;
                while (dataInWrite < dataFrames) {
                    n = add(out, n, frame++, OpCode.BINARY, data.poll().slice()); // our own view of a shared frame
                    dataInWrite++;
                }
                if (n == 0 && onIdle != null) { // idle: the connection is Jetty's from here on
                    idle = onIdle;
                    onIdle = null;
                    handedOver = true;
                }
                if (n > 0) {
                    writing = true;
                }
            }
            if (n == 0) {
                if (idle != null) {
                    idle.run();
                }
                return Action.IDLE;
            }
            return write(n == out.length ? out : java.util.Arrays.copyOf(out, n));
        }

        private Action write(ByteBuffer[] out) {
            endPoint.write(this, out);
            return Action.SCHEDULED;
        }

        /** Adds frame {@code frame}'s header (its slot of {@code headers}) and payload to {@code out}; returns the new count. */
        private int add(ByteBuffer[] out, int n, int frame, byte opcode, ByteBuffer payload) {
            int at = 10 * frame;
            int h = header(at, opcode, payload.remaining());
            out[n++] = ByteBuffer.wrap(headers, at, h);
            if (payload.hasRemaining()) {
                out[n++] = payload;
            }
            return n;
        }

        @Override
        protected void onSuccess() {
            int done = dataInWrite;
            dataInWrite = 0;
            WriteCallback cb;
            synchronized (JettySink.this) {
                cb = dataDone;
            }
            for (int i = 0; cb != null && i < done; i++) {
                cb.written(null);
            }
            synchronized (JettySink.this) {
                writing = false; // after the completions: a direct write started now reports after them
            }
        }

        @Override
        protected void onCompleteFailure(Throwable cause) {
            int done = dataInWrite;
            dataInWrite = 0;
            fail(cause, done);
        }
    }
}
