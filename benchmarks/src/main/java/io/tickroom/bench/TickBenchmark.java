package io.tickroom.bench;

import io.tickroom.server.tick.TickLoop;
import io.tickroom.server.tick.TickMetrics;
import io.tickroom.server.tick.Tickable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tick scheduler's own cost per tick: a loop of 1,000 idle games (their tick does nothing),
 * driven with a clock that advances one period per call, so every call runs one tick of each.
 * Score: nanoseconds of scheduler overhead per match tick (deadline math, timing, histograms).
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
    static final int GAMES = 1_000;
    static final long PERIOD = 50_000_000L;

    TickLoop loop;
    long now;

    static final class IdleGame implements Tickable {
        @Override
        public long tickIntervalNs() {
            return PERIOD;
        }

        @Override
        public void tick(long tick, long nowNs) {
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void failed(Throwable error, long nowNs) {
        }
    }

    @Setup
    public void setUp() {
        now = 0;
        loop = new TickLoop(3, new TickMetrics(), () -> now);
        for (int i = 0; i < GAMES; i++) {
            loop.add(new IdleGame());
        }
        loop.doWork(now);
        now += 2 * PERIOD; // past every first deadline (start + period + phase < start + 2 periods)
        loop.doWork(now);
    }

    @Benchmark
    @OperationsPerInvocation(GAMES)
    public int idleTick() {
        now += PERIOD;
        return loop.doWork(now);
    }
}
