package io.tickroom.server.tick;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tick thread's duty cycle, as a plain object: {@link #doWork(long)} runs every tick that is
 * due at {@code nowNs}, so tests drive it with a fake clock and production calls it from
 * {@link TickScheduler}'s thread.
 *
 * <p>Design note. Tick {@code k} of a tickable is due at {@code start + k × period}: deadlines
 * are computed, never accumulated, so time does not drift. A late tickable runs its due ticks
 * back to back, at most {@code maxCatchUpTicks} per call; anything still due after that is
 * skipped (its tick numbers never run) and counted as overruns, and the schedule resumes from
 * the next deadline after {@code nowNs}. New tickables are phase-staggered: the first tick lands
 * at {@code now + period + phase}, with phases spread by the golden ratio so that the ticks of
 * tickables on one loop do not pile onto one instant.
 *
 * <p>Threading: {@link #add} may be called from any thread (it queues); everything else runs on
 * the owning thread.
 */
public final class TickLoop {
    private static final Logger log = LoggerFactory.getLogger(TickLoop.class);
    private static final double GOLDEN = 0.6180339887498949;

    private final int maxCatchUpTicks;
    private final TickMetrics metrics;
    private final java.util.function.LongSupplier clock;
    private final Queue<Entry> incoming = new ConcurrentLinkedQueue<>();
    private final List<Entry> entries = new ArrayList<>();
    private final AtomicInteger size = new AtomicInteger();
    private long added;

    /**
     * @param clock the time source for tick durations and catch-up start times (System::nanoTime
     *              in production, a fake in tests, which may advance it inside a tick to play a
     *              slow game)
     */
    public TickLoop(int maxCatchUpTicks, TickMetrics metrics, java.util.function.LongSupplier clock) {
        if (maxCatchUpTicks < 1) {
            throw new IllegalArgumentException("maxCatchUpTicks must be >= 1");
        }
        this.maxCatchUpTicks = maxCatchUpTicks;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Hands a tickable to this loop; it starts on the loop's next {@code doWork}. Any thread. */
    public TickStats add(Tickable t) {
        Entry e = new Entry(t);
        size.incrementAndGet();
        incoming.add(e);
        return e.stats;
    }

    /** Tickables owned or about to be (any thread; used to pick the least loaded loop). */
    public int size() {
        return size.get();
    }

    /**
     * Runs what is due at {@code nowNs}; returns the number of ticks run. Owning thread only.
     */
    public int doWork(long nowNs) {
        Entry e;
        while ((e = incoming.poll()) != null) {
            long period = e.tickable.tickIntervalNs();
            long phase = (long) (((added++ * GOLDEN) % 1.0) * period);
            e.startNs = nowNs + period + phase;
            entries.add(e);
        }
        int ran = 0;
        for (int i = 0; i < entries.size(); i++) {
            Entry en = entries.get(i);
            ran += run(en, nowNs);
            if (en.removed) {
                int last = entries.size() - 1;
                entries.set(i, entries.get(last));
                entries.remove(last);
                size.decrementAndGet();
                i--;
            }
        }
        return ran;
    }

    private int run(Entry e, long nowNs) {
        Tickable t = e.tickable;
        long period = t.tickIntervalNs();
        int ran = 0;
        while (true) {
            long deadline = e.startNs + e.next * period;
            long startedNs = ran == 0 ? nowNs : clock.getAsLong();
            if (deadline > startedNs) {
                break;
            }
            if (ran == maxCatchUpTicks) {
                long behind = (startedNs - deadline) / period + 1;
                e.next += behind;
                e.stats.recordSkipped(behind);
                metrics.skipped(behind);
                break;
            }
            long tick = e.next++;
            try {
                t.tick(tick, startedNs);
            } catch (Throwable err) {
                metrics.failed();
                log.error("tickable failed on tick {}; removing it", tick, err);
                try {
                    t.failed(err, startedNs);
                } catch (Throwable again) {
                    log.error("tickable failed while handling its failure", again);
                }
                e.removed = true;
                if (err instanceof VirtualMachineError vme) {
                    throw vme;
                }
                return ran;
            }
            ran++;
            long durationNs = clock.getAsLong() - startedNs;
            e.stats.recordTick(durationNs, startedNs - deadline);
            metrics.record(durationNs, startedNs - deadline);
            if (t.isFinished()) {
                break;
            }
        }
        if (t.isFinished()) {
            e.removed = true;
        }
        return ran;
    }

    /** The earliest next deadline of the loop's tickables, or {@code Long.MAX_VALUE} if none. */
    public long nextDeadlineNs() {
        long min = Long.MAX_VALUE;
        for (Entry e : entries) {
            long d = e.startNs + e.next * e.tickable.tickIntervalNs();
            if (d < min) {
                min = d;
            }
        }
        return incoming.isEmpty() ? min : Long.MIN_VALUE;
    }

    /** Owned tickables' first deadlines, for tests of the staggering. */
    List<Long> startTimes() {
        List<Long> out = new ArrayList<>();
        for (Entry e : entries) {
            out.add(e.startNs);
        }
        return out;
    }

    private static final class Entry {
        final Tickable tickable;
        final TickStats stats = new TickStats();
        long startNs;
        long next;
        boolean removed;

        Entry(Tickable tickable) {
            this.tickable = tickable;
        }
    }
}
