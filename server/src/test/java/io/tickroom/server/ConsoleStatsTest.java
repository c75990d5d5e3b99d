package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The console's per-second series, sampled by hand with a fake clock (no timer thread, no ticks). */
class ConsoleStatsTest {
    final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    final TimeSource time = new TimeSource() {
        @Override
        public long nanoTime() {
            return nowNs.get();
        }

        @Override
        public long epochMillis() {
            return nowNs.get() / 1_000_000;
        }
    };
    final AtomicLong framesOut = new AtomicLong();
    final TickScheduler scheduler = new TickScheduler(1, 3, time);

    ConsoleStats stats() {
        return new ConsoleStats(
                "n1",
                time,
                scheduler,
                () -> 3,
                () -> 1,
                () -> 2,
                framesOut::get,
                () -> 0,
                () -> List.of(new NodeRegistry.NodeInfo("n1", "ws://127.0.0.1:1/ws/play", 3, 1)),
                () -> "serving",
                java.util.concurrent.Executors.defaultThreadFactory());
    }

    @Test
    void deliveriesPerSecondComeFromTheCounterAndTheClockAndSecondsWithoutTicksHaveNoPercentiles() {
        ConsoleStats s = stats();
        s.prime();
        framesOut.addAndGet(500);
        nowNs.addAndGet(2_000_000_000L); // two seconds
        s.sample();
        ConsoleStats.Sample only = s.samples().get(0);
        assertEquals(250.0, only.deliveriesPerS());
        assertEquals(0, only.ticks());
        assertEquals(-1, only.latenessP99Us(), "no tick ran: no percentile rather than a zero");
        String json = s.json();
        assertTrue(json.contains("\"deliveries_per_s\":[250]"), json);
        assertTrue(
                json.contains(
                        "\"nodes\":[{\"node_id\":\"n1\",\"url\":\"ws://127.0.0.1:1/ws/play\",\"sessions\":3,\"matches\":1}]"),
                json);
    }

    @Test
    void keepsTheLastFiveMinutesOldestFirst() {
        ConsoleStats s = stats();
        s.prime();
        for (int i = 0; i < ConsoleStats.SAMPLES + 20; i++) {
            nowNs.addAndGet(1_000_000_000L);
            s.sample();
        }
        List<ConsoleStats.Sample> kept = s.samples();
        assertEquals(ConsoleStats.SAMPLES, kept.size());
        for (int i = 1; i < kept.size(); i++) {
            assertEquals(1_000, kept.get(i).atMs() - kept.get(i - 1).atMs(), "in order, one second apart");
        }
        assertEquals(time.epochMillis(), kept.get(kept.size() - 1).atMs(), "the newest last");
    }
}
