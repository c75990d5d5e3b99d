package io.tickroom.bench;

import io.tickroom.server.tick.TickLoop;
import io.tickroom.server.tick.TickMetrics;
import io.tickroom.server.tick.Tickable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tick scheduler's own cost per wake-up, driven the way {@code TickScheduler}'s thread drives
 * its loop: each op is one wake at the loop's next due deadline ({@code doWork(next)}, then
 * {@code nextDeadlineNs()}). The loop holds {@code matches} idle 20 Hz games (their tick does
 * nothing) with the scheduler's own phase stagger and periods a few ns apart (see {@link
 * IdleGame}), so their deadlines are spread over the period and a wake finds about one tick due.
 * Score: nanoseconds per wake; the {@code ticks} counter is nanoseconds per tick run (deadline
 * bookkeeping, timing, histograms). A loop that scans every match per wake grows linearly with
 * {@code matches}; the guard checks that it does not.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar TickBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TickBenchmark {
    static final long PERIOD = 50_000_000L;

    @Param({"1000", "5000", "10000"})
    int matches;

    TickLoop loop;
    long now;

    /**
     * A game of about 20 Hz whose tick does nothing: what is left is the scheduler's cost. The
     * i-th game's period is {@code PERIOD + i} ns, so the games that share a 1 ms wake slot at
     * first part after one period and a wake finds about one tick due, as when every match had
     * its own instant: per wake, a loop that scans every match is then 10x dearer at 10,000 than
     * at 1,000, which the guard catches (with shared slots the scan would be spread over a slot's
     * ticks and look flat per tick).
     */
    static final class IdleGame implements Tickable {
        private final long period;

        IdleGame() {
            this(PERIOD);
        }

        IdleGame(long period) {
            this.period = period;
        }

        @Override
        public long tickIntervalNs() {
            return period;
        }

        @Override
        public void tick(long tick, long nowNs) {}

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void failed(Throwable error, long nowNs) {}
    }

    /** Ticks run, reported per unit of time like the primary score (so: ns per tick). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Ticks {
        public long ticks;

        @Setup(Level.Iteration)
        public void reset() {
            ticks = 0;
        }
    }

    @Setup
    public void setUp() {
        now = 0;
        loop = new TickLoop(3, new TickMetrics(), () -> now);
        for (int i = 0; i < matches; i++) {
            loop.add(new IdleGame(PERIOD + i));
        }
        loop.doWork(now); // takes them in: first deadlines spread over [period, 2 periods)
    }

    @Benchmark
    public long wake(Ticks counter) {
        now = loop.nextDeadlineNs();
        int ran = loop.doWork(now);
        counter.ticks += ran;
        return now;
    }
}
