package io.tickroom.server.tick;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs every tickable of the node on a few threads (one {@link TickLoop} each). A tickable is
 * placed on the least loaded loop and stays there for its whole life. Each thread runs what is
 * due, then parks until its next deadline (or until a new tickable arrives).
 *
 * <p>Failure: an exception from one tickable fails that tickable only (see {@link TickLoop});
 * any other exception on a tick thread is logged and the thread goes on. An {@link Error} that
 * reaches a tick thread (out of memory, stack overflow, an {@code AssertionError} in a game, a
 * linkage error) is handed to the fatal-error handler on that thread: the node may be unsound and
 * the composition root decides (log and halt, say). If the handler returns, the thread goes on;
 * the default handler logs and rethrows, which ends the thread.
 */
public final class TickScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TickScheduler.class);
    private static final long IDLE_PARK_NS = 50_000_000;

    /** The default fatal-error handler: logs the error and rethrows it, which ends the tick thread. */
    public static final Consumer<Error> LOG_AND_RETHROW = e -> {
        log.error(
                "fatal error on tick thread {}; the thread ends",
                Thread.currentThread().getName(),
                e);
        throw e;
    };

    private final TimeSource time;
    private final Consumer<? super Error> onFatalError;
    private final List<TickLoop> loops = new ArrayList<>();
    private final List<TickMetrics> metrics = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /**
     * @param threads         tick threads (default: one per core, at most a configured cap)
     * @param maxCatchUpTicks ticks a late tickable may run back to back before the rest are skipped
     */
    public TickScheduler(int threads, int maxCatchUpTicks, TimeSource time) {
        this(threads, maxCatchUpTicks, time, LOG_AND_RETHROW);
    }

    /**
     * @param onFatalError called on a tick thread with an {@link Error} that reached it (after the
     *                     tickable that threw it, if any, was failed and removed); if it returns,
     *                     the thread goes on
     */
    public TickScheduler(int threads, int maxCatchUpTicks, TimeSource time, Consumer<? super Error> onFatalError) {
        this.time = time;
        this.onFatalError = java.util.Objects.requireNonNull(onFatalError, "onFatalError");
        for (int i = 0; i < threads; i++) {
            TickMetrics m = new TickMetrics();
            TickLoop loop = new TickLoop(maxCatchUpTicks, m, time::nanoTime);
            metrics.add(m);
            loops.add(loop);
            Thread t = new Thread(() -> run(loop), "tickroom-tick-" + i);
            t.setDaemon(true);
            // ahead of the node's other threads and the JIT for the core; a no-op unless the JVM
            // applies priorities (-XX:ThreadPriorityPolicy=1, which scripts/lib/java.sh sets as root)
            t.setPriority(Thread.MAX_PRIORITY);
            this.threads.add(t);
        }
    }

    public void start() {
        threads.forEach(Thread::start);
    }

    private void run(TickLoop loop) {
        while (running) {
            try {
                loop.doWork(time.nanoTime());
                long next = loop.nextDeadlineNs();
                if (next == Long.MIN_VALUE) {
                    continue;
                }
                long waitNs = next == Long.MAX_VALUE ? IDLE_PARK_NS : next - time.nanoTime();
                if (waitNs > 0) {
                    LockSupport.parkNanos(this, Math.min(waitNs, IDLE_PARK_NS));
                }
            } catch (RuntimeException e) {
                log.error("tick loop error; the loop goes on", e);
            } catch (Error e) {
                onFatalError.accept(e);
            }
        }
    }

    /** Places a tickable on the least loaded loop; any thread. */
    public TickStats schedule(Tickable t) {
        int best = 0;
        for (int i = 1; i < loops.size(); i++) {
            if (loops.get(i).size() < loops.get(best).size()) {
                best = i;
            }
        }
        TickStats stats = loops.get(best).add(t);
        LockSupport.unpark(threads.get(best));
        return stats;
    }

    /** Lets {@code o} see every tick of every loop (set before {@link #start}). */
    public void observe(TickMetrics.Observer o) {
        for (TickMetrics m : metrics) {
            m.observe(o);
        }
    }

    /** Tickables scheduled now, over all loops. */
    public int size() {
        int n = 0;
        for (TickLoop l : loops) {
            n += l.size();
        }
        return n;
    }

    public int threadCount() {
        return loops.size();
    }

    public TickMetrics.Snapshot metrics() {
        TickMetrics.Snapshot s = new TickMetrics.Snapshot();
        metricsInto(s);
        return s;
    }

    /** Overwrites {@code s} with the loops' numbers now (a reader that samples often keeps one). */
    public void metricsInto(TickMetrics.Snapshot s) {
        s.reset();
        for (TickMetrics m : metrics) {
            m.addTo(s);
        }
    }

    /** Ticks skipped by every loop so far (no histogram copied). */
    public long ticksSkipped() {
        long n = 0;
        for (TickMetrics m : metrics) {
            n += m.ticksSkipped();
        }
        return n;
    }

    @Override
    public void close() {
        running = false;
        for (Thread t : threads) {
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
