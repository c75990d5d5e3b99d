package io.tickroom.server.tick;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * Node-wide tick timing: tick duration and start lateness as HdrHistograms (nanoseconds, up to
 * one minute, 3 significant digits), ticks run and ticks skipped. Tick threads record; any
 * thread may take a snapshot. The histogram lock is uncontended in steady state (each loop has
 * its own {@code TickMetrics} and the node merges them on read).
 */
public final class TickMetrics {
    private static final long MAX_NS = 60_000_000_000L;
    private final Histogram duration = new Histogram(MAX_NS, 3);
    private final Histogram lateness = new Histogram(MAX_NS, 3);
    private final LongAdder ticksRun = new LongAdder();
    private final LongAdder ticksSkipped = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private volatile Observer observer = (d, l) -> {};

    /** Sees every tick's duration and lateness as it is recorded (a metrics registry), on the tick thread. */
    @FunctionalInterface
    public interface Observer {
        void tick(long durationNs, long latenessNs);
    }

    void observe(Observer o) {
        this.observer = o;
    }

    void record(long durationNs, long latenessNs) {
        synchronized (this) {
            duration.recordValue(Math.min(Math.max(durationNs, 0), MAX_NS));
            lateness.recordValue(Math.min(Math.max(latenessNs, 0), MAX_NS));
        }
        ticksRun.increment();
        observer.tick(durationNs, latenessNs);
    }

    long ticksSkipped() {
        return ticksSkipped.sum();
    }

    void skipped(long n) {
        ticksSkipped.add(n);
    }

    void failed() {
        failures.increment();
    }

    /** Adds this loop's numbers into {@code into}. */
    void addTo(Snapshot into) {
        synchronized (this) {
            into.duration.add(duration);
            into.lateness.add(lateness);
        }
        into.ticksRun += ticksRun.sum();
        into.ticksSkipped += ticksSkipped.sum();
        into.failures += failures.sum();
    }

    /** A point-in-time copy, safe to read at leisure. */
    public static final class Snapshot {
        public final Histogram duration = histogram();
        public final Histogram lateness = histogram();
        public long ticksRun;
        public long ticksSkipped;
        public long failures;

        /** An empty histogram of the loops' range and precision. */
        public static Histogram histogram() {
            return new Histogram(MAX_NS, 3);
        }

        void reset() {
            duration.reset();
            lateness.reset();
            ticksRun = 0;
            ticksSkipped = 0;
            failures = 0;
        }
    }
}
