package io.tickroom.server.session;

import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions' lanes: each session is owned by its lane, which runs the session's open, its
 * requests and its close one after another, in the order they were accepted, on a small shared
 * pool. Jetty's threads only decode and hand over, so a frozen Redis holds lane threads, never
 * the threads that read sockets, answer pings or feed matches.
 *
 * <p>Design note. A lane is alive until it accepts the session's close; from then on it accepts
 * nothing, so the close is the last thing that runs on it, after whatever was accepted before.
 * That one flag is the session's only notion of "alive" ({@link ClientSession#isAlive}): nothing
 * needs undoing when a close races a request, because the request ran first and the close sees
 * what it did. Another thread that must add to a session's state (a match seating it, a remote
 * node's membership change) does it through {@link ClientSession#ifAlive}, under the lane's lock:
 * either it happens before the close is accepted, and the close undoes it, or it does not happen.
 * The lock is held only for such in-memory steps and for queue operations, never across a call
 * that can wait.
 *
 * <p>Bounds. A session has at most {@code maxWaitingRequests} requests waiting (policy: refuse
 * newest, answered RATE_LIMITED); its open and its close are never refused (they do not count
 * against the bound). The pool's queue holds at most one entry per session with work waiting,
 * so it is bounded by the sessions; a lane runs at most {@value #BATCH} tasks before it yields
 * its thread to the next lane.
 */
public final class SessionLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionLanes.class);
    /** Tasks one lane runs in a row before it goes to the back of the pool's queue. */
    static final int BATCH = 16;

    /** What became of a request handed to a lane. */
    enum Admission {
        QUEUED,
        FULL,
        CLOSING
    }

    private final int maxWaitingRequests;
    private final ThreadPoolExecutor pool;
    private final LongAdder refusedFull = new LongAdder();

    /** Lanes on plain daemon threads (socket-free tests). */
    public SessionLanes(String nodeId, int threads, int maxWaitingRequests) {
        this(plainThreads(nodeId), threads, maxWaitingRequests);
    }

    /**
     * Lanes on {@code threads} threads from {@code factory}, made as work arrives (none before the
     * first session opens). An {@link Error} escaping a task ends its thread, which goes to the
     * factory's uncaught-exception handler; the pool replaces the thread.
     */
    public SessionLanes(java.util.concurrent.ThreadFactory factory, int threads, int maxWaitingRequests) {
        if (threads < 1 || maxWaitingRequests < 1) {
            throw new IllegalArgumentException("lane threads and waiting requests must be positive");
        }
        this.maxWaitingRequests = maxWaitingRequests;
        this.pool = new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), factory);
    }

    private static java.util.concurrent.ThreadFactory plainThreads(String nodeId) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "tickroom-lane-" + nodeId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One session's lane. Every field is guarded by the lane itself ({@code closing} is also read without it). */
    static final class Lane {
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(4);
        private int requestsWaiting;
        private boolean scheduled;
        private volatile boolean closing;
        private SessionLanes owner;
        private Runnable closeStep;

        /** Whether nothing is waiting or running on the lane now (socket-free tests wait for this). */
        synchronized boolean isIdle() {
            return !scheduled;
        }

        /** Whether the lane has not accepted the session's close yet. */
        boolean isAlive() {
            return !closing;
        }

        /** Runs {@code step} now, on the caller's thread, if the lane is alive; whether it ran. */
        synchronized boolean ifAlive(Runnable step) {
            if (closing) {
                return false;
            }
            step.run();
            return true;
        }

        /**
         * Accepts the session's close: nothing more is accepted, and the close step runs after
         * what was accepted before. Returns false when the close was accepted already.
         */
        boolean close() {
            SessionLanes lanes;
            synchronized (this) {
                if (closing) {
                    return false;
                }
                closing = true;
                lanes = owner;
                if (lanes == null) {
                    return true; // never opened on a lane (a socket-free session): no close step
                }
                waiting.addLast(closeStep);
                closeStep = null;
                if (scheduled) {
                    return true;
                }
                scheduled = true;
            }
            lanes.schedule(this);
            return true;
        }
    }

    /**
     * Takes the session on: its lane runs {@code openStep} first (before any request) and
     * {@code closeStep} last, once the close is accepted ({@link ClientSession#close} or the
     * transport going). Called once per session, by whoever creates it; never refused.
     */
    void open(ClientSession session, Runnable openStep, Runnable closeStep) {
        Lane lane = session.lane();
        synchronized (lane) {
            if (lane.owner != null || lane.closing) {
                throw new IllegalStateException(session + " was opened already");
            }
            lane.owner = this;
            lane.closeStep = closeStep;
            lane.waiting.addFirst(openStep);
            if (lane.scheduled) {
                return;
            }
            lane.scheduled = true;
        }
        schedule(lane);
    }

    /**
     * Queues a request after the session's earlier ones. FULL when {@code maxWaitingRequests}
     * are waiting already, CLOSING once the lane has accepted the close: the task is not run.
     */
    Admission submit(ClientSession session, Runnable request) {
        Lane lane = session.lane();
        synchronized (lane) {
            if (lane.closing) {
                return Admission.CLOSING;
            }
            if (lane.requestsWaiting >= maxWaitingRequests) {
                refusedFull.increment();
                return Admission.FULL;
            }
            lane.requestsWaiting++;
            lane.waiting.addLast(new Counted(request));
            if (lane.scheduled) {
                return Admission.QUEUED;
            }
            lane.scheduled = true;
        }
        schedule(lane);
        return Admission.QUEUED;
    }

    /** A request: it stops counting against its lane's bound when it starts. */
    private record Counted(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }

    private void schedule(Lane lane) {
        try {
            pool.execute(() -> drain(lane));
        } catch (RejectedExecutionException e) {
            // the node has stopped its lanes: what is left (closes, at shutdown) runs here
            log.debug(
                    "lanes stopped; running a lane's remaining tasks on {}",
                    Thread.currentThread().getName());
            drain(lane);
        }
    }

    private void drain(Lane lane) {
        for (int run = 0; ; run++) {
            Runnable next;
            synchronized (lane) {
                if (run == BATCH && !pool.isShutdown()) {
                    break; // yield: the lane goes to the back of the queue, still scheduled
                }
                next = lane.waiting.pollFirst();
                if (next == null) {
                    lane.scheduled = false;
                    return;
                }
                if (next instanceof Counted) {
                    lane.requestsWaiting--;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("a task escaped its lane", e);
            }
        }
        schedule(lane);
    }

    /** Lanes with work waiting for a thread, plus the threads busy (a gauge). */
    public int backlog() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

    /** Requests refused because their session already had the maximum waiting. */
    public long refusedFull() {
        return refusedFull.sum();
    }

    /** Lets what is queued run (up to two seconds), then stops the threads. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }
}
