package io.tickroom.server.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * One session's bounded outbound path.
 *
 * <p>Frames arrive already encoded, as read-only buffers shared by every recipient of a
 * broadcast; each send hands the sink its own {@code duplicate()} (Jetty consumes the position),
 * so per-recipient work is a queue append. Policies, by name:
 * <ul>
 *   <li><b>close session</b>: more than {@code maxQueuedFrames} frames waiting closes the session
 *       with 1008 "slow consumer" and drops the queue, so a client that stops reading costs a
 *       bounded amount of memory;</li>
 *   <li><b>bounded in flight</b>: at most {@code maxInFlight} frames are handed to the sink at once;</li>
 *   <li><b>write timeout</b>: {@link #stalledForNs} tells the housekeeper how long the oldest
 *       in-flight write has waited; past the configured timeout it closes the session.</li>
 * </ul>
 * Thread-safe: any thread may offer; completions arrive on Jetty threads.
 */
public final class Outbound {
    private final FrameSink sink;
    private final int maxQueuedFrames;
    private final int maxInFlight;
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private int inFlight;
    private boolean pumping;
    private boolean closed;
    private long oldestWriteStartNs;
    private long framesSent;
    private long bytesSent;
    private final java.util.function.LongSupplier nanoClock;

    public Outbound(FrameSink sink, int maxQueuedFrames, int maxInFlight, java.util.function.LongSupplier nanoClock) {
        this.sink = sink;
        this.maxQueuedFrames = maxQueuedFrames;
        this.maxInFlight = maxInFlight;
        this.nanoClock = nanoClock;
    }

    /**
     * Queues one encoded frame. Returns false when the session is closed or was just closed as
     * a slow consumer; the caller need do nothing more either way.
     */
    public boolean offer(ByteBuffer frame) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (queue.size() >= maxQueuedFrames) {
                closed = true;
                queue.clear();
            } else {
                queue.addLast(frame);
                if (pumping || inFlight >= maxInFlight) {
                    return true;
                }
                frame = null;
            }
        }
        if (frame != null) {
            sink.close(CloseCodes.POLICY_VIOLATION, CloseCodes.SLOW_CONSUMER);
            return false;
        }
        pump();
        return true;
    }

    private void pump() {
        for (;;) {
            ByteBuffer next;
            synchronized (this) {
                if (pumping || closed || inFlight >= maxInFlight || queue.isEmpty()) {
                    return;
                }
                next = queue.pollFirst();
                if (inFlight == 0) {
                    oldestWriteStartNs = nanoClock.getAsLong();
                }
                inFlight++;
                pumping = true;
            }
            try {
                framesSent++;
                bytesSent += next.remaining();
                sink.send(next.duplicate(), this::written);
            } finally {
                synchronized (this) {
                    pumping = false;
                }
            }
        }
    }

    private void written(Throwable failure) {
        synchronized (this) {
            inFlight--;
            oldestWriteStartNs = inFlight == 0 ? 0 : nanoClock.getAsLong();
            if (failure != null) {
                closed = true;
                queue.clear();
                return;
            }
        }
        pump();
    }

    /** Stops accepting frames (the session is closing) and frees the queue. */
    public void shutdown() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    /** Nanoseconds the oldest in-flight write has been waiting, or 0 when nothing is in flight. */
    public synchronized long stalledForNs(long nowNs) {
        return inFlight == 0 || oldestWriteStartNs == 0 ? 0 : nowNs - oldestWriteStartNs;
    }

    public synchronized int queuedFrames() {
        return queue.size();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    public synchronized long framesSent() {
        return framesSent;
    }

    public synchronized long bytesSent() {
        return bytesSent;
    }
}
