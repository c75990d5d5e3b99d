package io.tickroom.server.room;

import io.tickroom.protocol.v1.ServerFrame;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reliable pushes that threads which must never wait (tick threads) hand off: a bounded queue of
 * {@value #CAPACITY} pushes and one writer thread that publishes them in order, waiting on Redis
 * (clustered) in their place. Overflow policy: drop newest — a push offered to a full outbox is
 * not queued, counted ({@link #dropped}) and logged; so is one whose publish fails (Redis down).
 */
final class PushOutbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PushOutbox.class);
    /**
     * Pushes waiting at most. A match end queues one push per seat; at a thousand matches ending
     * per second this covers a Redis stall of a few seconds, and a waiting push is a few hundred bytes.
     */
    static final int CAPACITY = 4_096;

    /** What to publish. */
    interface Publisher {
        void publish(RoomId stream, ServerFrame.Builder frame);
    }

    private record Push(RoomId stream, ServerFrame.Builder frame) {}

    private static final Push STOP = new Push(RoomId.user("-"), ServerFrame.newBuilder());

    private final ArrayBlockingQueue<Push> queue = new ArrayBlockingQueue<>(CAPACITY + 1); // + room for STOP
    private final Publisher publisher;
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;

    /** The writer comes from {@code threads} and runs from {@link #start}. */
    PushOutbox(ThreadFactory threads, Publisher publisher) {
        this.publisher = publisher;
        this.writer = threads.newThread(this::run);
    }

    /** Starts the writer; pushes offered before wait for it. Once. */
    void start() {
        writer.start();
    }

    /** Queues a push; false (dropped, counted) when the outbox is full or closed. Any thread; never waits. */
    boolean offer(RoomId stream, ServerFrame.Builder frame) {
        if (closed || queue.size() >= CAPACITY || !queue.offer(new Push(stream, frame))) {
            dropped.increment();
            long n = dropped.sum();
            if (Long.bitCount(n) == 1) { // the 1st, 2nd, 4th, 8th... : a burst does not flood the log
                log.warn(
                        "push on {} dropped: the outbox is {} ({} dropped so far)",
                        stream,
                        closed ? "closed" : "full (" + CAPACITY + ")",
                        n);
            }
            return false;
        }
        return true;
    }

    private void run() {
        for (; ; ) {
            Push p;
            try {
                p = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (p == STOP) {
                return;
            }
            try {
                publisher.publish(p.stream(), p.frame());
            } catch (RuntimeException e) {
                failed.increment();
                long n = failed.sum();
                if (Long.bitCount(n) == 1) {
                    log.warn("push on {} not published: {} ({} failed so far)", p.stream(), e.toString(), n);
                }
            }
        }
    }

    /** Pushes dropped: the outbox was full (or closed). */
    long dropped() {
        return dropped.sum();
    }

    /** Pushes whose publish failed (Redis down). */
    long failed() {
        return failed.sum();
    }

    /** Pushes waiting now. */
    int waiting() {
        return queue.size();
    }

    /** Takes no more pushes, lets the queued ones go out (at most {@code waitMs}), then stops the writer. */
    @Override
    public void close() {
        close(1_000);
    }

    void close(long waitMs) {
        closed = true;
        queue.offer(STOP);
        try {
            writer.join(waitMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }
}
