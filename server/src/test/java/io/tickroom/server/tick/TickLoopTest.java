package io.tickroom.server.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixed-timestep loop, driven by a fake clock: no sleeps, exact counts. */
class TickLoopTest {
    static final long MS = 1_000_000;
    long now = 1_000 * MS;
    final TickMetrics metrics = new TickMetrics();
    final TickLoop loop = new TickLoop(3, metrics, () -> now);

    /** A tickable that records its tick numbers and start times, and can be told to be slow. */
    final class Game implements Tickable {
        final long periodNs;
        final List<Long> ticks = new ArrayList<>();
        final List<Long> startedAt = new ArrayList<>();
        long workNs;
        boolean finished;
        long explodeOnTick = -1;
        Throwable failure;

        Game(int hz) {
            periodNs = 1_000_000_000L / hz;
        }

        @Override
        public long tickIntervalNs() {
            return periodNs;
        }

        @Override
        public void tick(long tick, long nowNs) {
            if (tick == explodeOnTick) {
                throw new IllegalStateException("game bug");
            }
            ticks.add(tick);
            startedAt.add(nowNs);
            now += workNs; // a slow game takes time on the fake clock
        }

        @Override
        public boolean isFinished() {
            return finished;
        }

        @Override
        public void failed(Throwable error, long nowNs) {
            failure = error;
        }
    }

    /** Advances the fake clock in small steps, calling doWork like the real thread would. */
    void runFor(long durationNs, long stepNs) {
        long end = now + durationNs;
        while (now < end) {
            now = Math.min(end, now + stepNs);
            loop.doWork(now);
        }
    }

    @Test
    void runsExactlyOneTickPerPeriodAfterTheFirstDeadline() {
        Game g = new Game(20);
        loop.add(g);
        loop.doWork(now);
        long first = loop.startTimes().get(0);
        assertEquals(now + 50 * MS, first, "the first tickable on a loop has phase 0");
        now = first - 1;
        loop.doWork(now);
        assertEquals(List.of(), g.ticks);
        now = first;
        loop.doWork(now);
        assertEquals(List.of(0L), g.ticks);
        runFor(1_000 * MS, MS);
        assertEquals(21, g.ticks.size(), "ticks 0..20 in the first second after start");
        assertEquals(0, g.ticks.get(0));
        assertEquals(20, g.ticks.get(20));
    }

    @Test
    void doesNotDriftOverTenThousandTicks() {
        Game g = new Game(20);
        loop.add(g);
        loop.doWork(now);
        long start = loop.startTimes().get(0);
        // steps of 7 ms never align with the 50 ms period: each tick starts up to 7 ms late,
        // and the lateness never accumulates
        runFor(10_000 * 50 * MS + 60 * MS, 7 * MS);
        assertTrue(g.ticks.size() >= 10_000, "ran " + g.ticks.size());
        for (int k = 0; k < g.ticks.size(); k++) {
            assertEquals(k, g.ticks.get(k));
            long deadline = start + k * 50 * MS;
            long late = g.startedAt.get(k) - deadline;
            assertTrue(late >= 0 && late < 7 * MS, "tick " + k + " late by " + late);
        }
        assertEquals(start + 10_000 * 50 * MS, start + g.ticks.get(10_000) * 50 * MS);
        assertEquals(0, metrics_skipped());
    }

    long metrics_skipped() {
        TickMetrics.Snapshot s = new TickMetrics.Snapshot();
        metrics.addTo(s);
        return s.ticksSkipped;
    }

    @Test
    void catchesUpAtMostThreeTicksThenSkipsAndCountsOverruns() {
        Game g = new Game(20);
        TickStats stats = loop.add(g);
        loop.doWork(now);
        now = loop.startTimes().get(0);
        loop.doWork(now);
        assertEquals(List.of(0L), g.ticks);
        // the thread stalls for 400 ms: ticks 1..8 are due
        now += 400 * MS;
        loop.doWork(now);
        assertEquals(List.of(0L, 1L, 2L, 3L), g.ticks, "three catch-up ticks run back to back");
        assertEquals(5, stats.ticksSkipped(), "ticks 4..8 are skipped and counted");
        assertEquals(5, metrics_skipped());
        // the schedule resumes on the original grid: tick 9 at start + 450 ms
        now += 49 * MS;
        loop.doWork(now);
        assertEquals(4, g.ticks.size(), "tick 9 is not due yet");
        now += 1 * MS;
        loop.doWork(now);
        assertEquals(9L, g.ticks.get(4));
        assertEquals(5, stats.ticksRun());
    }

    @Test
    void aSlowGameOverrunsWithoutDelayingItsOwnGrid() {
        Game g = new Game(20);
        TickStats stats = loop.add(g);
        g.workNs = 120 * MS; // every tick takes 2.4 periods
        loop.doWork(now);
        runFor(1_000 * MS, MS);
        assertTrue(stats.ticksSkipped() > 0);
        assertEquals(120 * MS, stats.maxDurationNs());
        long start = loop.startTimes().get(0);
        for (int i = 0; i < g.ticks.size(); i++) {
            assertTrue(g.startedAt.get(i) >= start + g.ticks.get(i) * 50 * MS, "no tick runs before its deadline");
        }
    }

    @Test
    void staggersThePhasesOfTickablesOnOneLoop() {
        List<Game> games = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Game g = new Game(20);
            games.add(g);
            loop.add(g);
        }
        loop.doWork(now);
        List<Long> starts = loop.startTimes();
        assertEquals(8, new HashSet<>(starts).size(), "no two first deadlines coincide");
        for (long s : starts) {
            assertTrue(s >= now + 50 * MS && s < now + 100 * MS);
        }
        // spread over the period: sorted gaps are all well below the period
        List<Long> sorted = new ArrayList<>(starts);
        sorted.sort(null);
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(sorted.get(i) - sorted.get(i - 1) < 25 * MS);
            assertNotEquals(sorted.get(i), sorted.get(i - 1));
        }
    }

    @Test
    void aFailingGameIsRemovedAndTheOthersKeepTicking() {
        Game bad = new Game(20);
        bad.explodeOnTick = 3;
        Game good = new Game(20);
        loop.add(bad);
        loop.add(good);
        loop.doWork(now);
        runFor(1_000 * MS, MS);
        assertEquals(List.of(0L, 1L, 2L), bad.ticks);
        assertTrue(bad.failure instanceof IllegalStateException);
        assertTrue(good.ticks.size() >= 18, "good ran " + good.ticks.size());
        assertEquals(1, loop.size());
    }

    @Test
    void finishedTickablesAreRemoved() {
        Game g = new Game(10);
        loop.add(g);
        loop.doWork(now);
        runFor(300 * MS, MS);
        g.finished = true;
        runFor(200 * MS, MS);
        int ran = g.ticks.size();
        runFor(500 * MS, MS);
        assertEquals(ran, g.ticks.size());
        assertEquals(0, loop.size());
    }
}
