package io.tickroom.server.session;

import java.util.ArrayDeque;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where requests that may wait on Redis run, so that Jetty's threads only decode and hand on
 * (a frozen Redis then holds lane threads, never the threads that read sockets, answer pings or
 * feed matches). Each session has a lane: its requests run one after another, in arrival order,
 * on a small shared pool. Bounded: a session has at most {@code maxQueuedPerSession} requests
 * waiting (past it: RATE_LIMITED, the request is not run), and the pool's queue holds at most one
 * entry per session with work waiting, so it is bounded by the sessions.
 */
public final class RequestLanes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RequestLanes.class);

    private final int maxQueuedPerSession;
    private final ThreadPoolExecutor pool;

    public RequestLanes(String nodeId, int threads, int maxQueuedPerSession) {
        this.maxQueuedPerSession = maxQueuedPerSession;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "tickroom-requests-" + nodeId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** One session's lane. */
    static final class Lane {
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
        private boolean scheduled;
    }

    /** Runs {@code task} after the session's earlier ones; false when its lane is full. */
    boolean submit(ClientSession session, Runnable task) {
        Lane lane = session.lane();
        synchronized (lane) {
            if (lane.waiting.size() >= maxQueuedPerSession) {
                return false;
            }
            lane.waiting.addLast(task);
            if (lane.scheduled) {
                return true;
            }
            lane.scheduled = true;
        }
        pool.execute(() -> drain(lane));
        return true;
    }

    private void drain(Lane lane) {
        for (;;) {
            Runnable next;
            synchronized (lane) {
                next = lane.waiting.pollFirst();
                if (next == null) {
                    lane.scheduled = false;
                    return;
                }
            }
            try {
                next.run();
            } catch (RuntimeException e) {
                log.error("a laned request escaped its handler", e);
            }
        }
    }

    /** Requests waiting for a lane thread, over all sessions (a gauge). */
    public int backlog() {
        return pool.getQueue().size() + pool.getActiveCount();
    }

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
