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
 * are computed, never accumulated, so time does not drift. The tickables wait in a min-heap by
 * next deadline ({@link DeadlineHeap}), so a wake-up looks only at the ones that are due and
 * costs O(log n) per tick run, not O(n) per wake; {@link #nextDeadlineNs} is the heap's head.
 * A late tickable runs its due ticks back to back, at most {@code maxCatchUpTicks} per call;
 * anything still due after that is skipped (its tick numbers never run) and counted as overruns,
 * and the schedule resumes from the next deadline after now. New tickables are phase-staggered:
 * the first tick lands at {@code now + period + phase} rounded up to the next whole millisecond
 * ({@link #WAKE_GRID_NS}), with phases spread by the golden ratio, so that the ticks of a loop
 * spread evenly over the period's 1 ms slots: a slot's tickables share one wake-up, and no slot
 * holds more than its share. Each tick's duration and
 * start lateness are timed from that tick's own start (a clock read per tickable), not from the
 * start of the wake-up.
 *
 * <p>Failure: a tickable that throws an exception is counted, told ({@link Tickable#failed}) and
 * removed, and the loop goes on. One that throws an {@link Error} is failed and removed the same
 * way, then the error is rethrown from {@code doWork}: the JVM may be unsound, and the thread's
 * owner decides (see {@link TickScheduler}).
 *
 * <p>Threading: {@link #add} and {@link #size} may be called from any thread (add queues);
 * everything else runs on the owning thread.
 */
public final class TickLoop {
    private static final Logger log = LoggerFactory.getLogger(TickLoop.class);
    private static final double GOLDEN = 0.6180339887498949;
    /**
     * First deadlines are rounded up to a multiple of this, so the tickables whose deadlines fall
     * in one such slot tick in one wake-up instead of one wake-up each. At 200 matches of 20 Hz
     * the tick thread parked and woke 2,600 times a second, each a futex wait, a timer interrupt
     * and two context switches, and each burst of writes woke the readers again; a periodic
     * deadline on the grid stays on it when the period is a whole number of slots (20 Hz: 50).
     * A deadline is never moved earlier: a tickable waits at most for the others of its slot.
     */
    static final long WAKE_GRID_NS = 1_000_000;

    private final int maxCatchUpTicks;
    private final TickMetrics metrics;
    private final java.util.function.LongSupplier clock;
    private final Queue<Scheduled> incoming = new ConcurrentLinkedQueue<>();
    private final DeadlineHeap heap = new DeadlineHeap();
    private final AtomicInteger size = new AtomicInteger();
    private long added;
    /** Tickables taken off the heap's head to run (or remove), over the loop's life: the work per wake. */
    private long examined;

    /**
     * @param clock the time source for tick start times and durations (System::nanoTime in
     *              production, a fake in tests, which may advance it inside a tick to play a slow
     *              game)
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
        Scheduled s = new Scheduled(t);
        size.incrementAndGet();
        incoming.add(s);
        return s.stats;
    }

    /** Tickables owned or about to be (any thread; used to pick the least loaded loop). */
    public int size() {
        return size.get();
    }

    /**
     * Runs what is due at {@code nowNs}; returns the number of ticks run. Owning thread only. Costs
     * O(log n) per due tickable; tickables not due are not looked at.
     */
    public int doWork(long nowNs) {
        Scheduled s;
        while ((s = incoming.poll()) != null) {
            long period = s.tickable.tickIntervalNs();
            long phase = (long) (((added++ * GOLDEN) % 1.0) * period);
            long first = nowNs + period + phase;
            first += Math.floorMod(-first, WAKE_GRID_NS); // up to the next whole instant of the grid
            s.start(first, period);
            heap.add(s);
        }
        int ran = 0;
        while ((s = heap.peek()) != null && s.deadlineNs <= nowNs) {
            examined++;
            try {
                ran += run(s, nowNs);
            } finally {
                // also when run throws, so the heap stays in order for the next wake
                if (s.removed) {
                    heap.removeHead();
                    size.decrementAndGet();
                } else {
                    heap.rescheduleHead();
                }
            }
        }
        return ran;
    }

    /**
     * Runs the due ticks of {@code s} (at least one is due at {@code nowNs}); afterwards either
     * {@code s.removed} is set or its deadline is later than {@code nowNs}.
     */
    private int run(Scheduled s, long nowNs) {
        Tickable t = s.tickable;
        if (t.isFinished()) {
            s.removed = true; // finished between ticks: it gets no further tick
            return 0;
        }
        long period = s.periodNs;
        long startedNs = Math.max(nowNs, clock.getAsLong());
        if (startedNs - s.deadlineNs > LateTicks.THRESHOLD_NS) {
            LateTicks.emit(s.next, period, s.deadlineNs, nowNs, startedNs);
        }
        int ran = 0;
        while (true) {
            long deadline = s.deadlineNs;
            if (deadline > startedNs) {
                return ran;
            }
            if (ran == maxCatchUpTicks) {
                long behind = (startedNs - deadline) / period + 1;
                s.advance(behind);
                s.stats.recordSkipped(behind);
                metrics.skipped(behind);
                return ran;
            }
            long tick = s.next;
            s.advance(1);
            try {
                t.tick(tick, startedNs);
            } catch (Throwable err) {
                fail(s, tick, err, startedNs);
                if (err instanceof Error fatal) {
                    throw fatal;
                }
                return ran;
            }
            ran++;
            long endNs = clock.getAsLong();
            long durationNs = endNs - startedNs;
            s.stats.recordTick(durationNs, startedNs - deadline);
            metrics.record(durationNs, startedNs - deadline);
            if (t.isFinished()) {
                s.removed = true;
                return ran;
            }
            startedNs = endNs; // a catch-up tick starts when the one before it ended
        }
    }

    private void fail(Scheduled s, long tick, Throwable err, long nowNs) {
        metrics.failed();
        log.error("tickable failed on tick {}; removing it", tick, err);
        s.removed = true;
        try {
            s.tickable.failed(err, nowNs);
        } catch (Throwable again) {
            log.error("tickable failed while handling its failure", again);
        }
    }

    /**
     * The earliest next deadline of the loop's tickables, {@code Long.MAX_VALUE} if none, or
     * {@code Long.MIN_VALUE} when new tickables wait to be taken in. O(1). Owning thread only.
     */
    public long nextDeadlineNs() {
        if (!incoming.isEmpty()) {
            return Long.MIN_VALUE;
        }
        Scheduled head = heap.peek();
        return head == null ? Long.MAX_VALUE : head.deadlineNs;
    }

    /** Tickables taken off the heap to run or remove, since the loop began (tests: work per wake). */
    long examined() {
        return examined;
    }

    /** Owned tickables' first deadlines, for tests of the staggering. */
    List<Long> startTimes() {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < heap.size(); i++) {
            out.add(heap.get(i).startNs);
        }
        return out;
    }
}
