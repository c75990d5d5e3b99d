package io.tickroom.server.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
        RuntimeException explodeWith = new IllegalStateException("game bug");
        Error fatalOnTick;
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
                throw explodeWith;
            }
            if (fatalOnTick != null) {
                throw fatalOnTick;
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
    void aLateTickIsAFlightRecorderEventWithWhereItsLatenessCameFrom() throws Exception {
        Game slow = new Game(20);
        Game late = new Game(20);
        slow.workNs = 4 * MS; // the tick before it in the same wake takes 4 ms
        loop.add(slow);
        loop.add(late);
        loop.doWork(now);
        List<Long> starts = loop.startTimes();
        long lastDue = Math.max(starts.get(0), starts.get(1));
        java.nio.file.Path file = java.nio.file.Files.createTempFile("ticks", ".jfr");
        try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
            r.enable("io.tickroom.TickLate");
            r.start();
            now = lastDue + 3 * MS; // the thread wakes 3 ms after both deadlines
            loop.doWork(now);
            runFor(200 * MS, MS); // on time from here: no more events
            r.stop();
            r.dump(file);
            List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(file);
            assertEquals(2, events.size(), "both first ticks were over 2 ms late: " + events);
            var inWakeOrder = new ArrayList<>(events);
            inWakeOrder.sort(java.util.Comparator.comparingLong(e -> e.getLong("behindOthers")));
            jdk.jfr.consumer.RecordedEvent first = inWakeOrder.get(0);
            jdk.jfr.consumer.RecordedEvent second = inWakeOrder.get(1);
            for (jdk.jfr.consumer.RecordedEvent e : events) {
                assertEquals(0, e.getLong("tick"));
                assertEquals(50 * MS, e.getLong("period"));
                assertEquals(e.getLong("lateness"), e.getLong("wokeLate") + e.getLong("behindOthers"));
            }
            assertTrue(first.getLong("wokeLate") >= 3 * MS, "woke 3 ms after its deadline: " + first);
            assertEquals(0, first.getLong("behindOthers"), "the first in its wake waited for nobody");
            assertEquals(4 * MS, second.getLong("behindOthers"), "behind the 4 ms tick: " + second);
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
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

    /** Deadlines of the games on the loop, sorted, after they were taken in. */
    List<Long> sortedStarts() {
        List<Long> starts = new ArrayList<>(loop.startTimes());
        starts.sort(null);
        return starts;
    }

    @Test
    void aWakeLooksOnlyAtTheMatchesThatAreDueAndMatchesShareTheWakesOfTheirSlot() {
        int n = 10_000;
        for (int i = 0; i < n; i++) {
            loop.add(new Game(20));
        }
        loop.doWork(now);
        List<Long> starts = new ArrayList<>(loop.startTimes());
        // driven as the scheduler drives it: one wake at each next deadline, for two periods
        long end = now + 3 * 50 * MS - 1;
        int wakes = 0;
        long ticks = 0;
        while (loop.nextDeadlineNs() <= end) {
            now = loop.nextDeadlineNs();
            assertEquals(0, now % TickLoop.WAKE_GRID_NS, "deadlines lie on the grid");
            long examinedBefore = loop.examined();
            int ran = loop.doWork(now);
            assertEquals(ran, loop.examined() - examinedBefore, "a wake examines only the matches it runs");
            assertTrue(ran > 0 && ran < 400, "one slot's share of " + n + ": " + ran);
            wakes++;
            ticks += ran;
        }
        long expected = 0;
        for (long s : starts) {
            expected += s <= end ? (end - s) / (50 * MS) + 1 : 0;
        }
        assertEquals(expected, ticks, "every deadline in the window ran once");
        assertTrue(ticks >= 2 * n - n / 20, "about two ticks per match: " + ticks);
        assertTrue(wakes <= 2 * 50 + 1, "a wake per 1 ms slot, not one per match: " + wakes);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void everyMatchRunsOrSkipsEachDeadlineExactlyOnceWhateverTheWakes(long seed) {
        Random random = new Random(seed);
        int[] hz = {10, 20, 30, 60, 128};
        List<Game> games = new ArrayList<>();
        List<TickStats> stats = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Game g = new Game(hz[random.nextInt(hz.length)]);
            games.add(g);
            stats.add(loop.add(g));
        }
        loop.doWork(now);
        long taken = now;
        List<Long> starts = new ArrayList<>(loop.startTimes());
        // match the starts to the games: the i-th game added has phase (i × golden) mod 1
        for (int step = 0; step < 2_000; step++) {
            // mostly small steps, sometimes a stall of up to half a second
            now += random.nextInt(20) == 0 ? random.nextInt(500) * MS : random.nextInt(3_000_000);
            loop.doWork(now);
        }
        assertEquals(300, starts.size());
        for (int i = 0; i < games.size(); i++) {
            Game g = games.get(i);
            long period = g.periodNs;
            long phased = taken + period + (long) (((i * 0.6180339887498949) % 1.0) * period);
            long start = phased + Math.floorMod(-phased, TickLoop.WAKE_GRID_NS); // up to the grid
            assertTrue(starts.contains(start));
            long deadlinesPassed = now < start ? 0 : (now - start) / period + 1;
            assertEquals(
                    deadlinesPassed,
                    stats.get(i).ticksRun() + stats.get(i).ticksSkipped(),
                    "game " + i + ": each deadline up to now ran or was skipped, exactly once");
            for (int k = 0; k < g.ticks.size(); k++) {
                assertTrue(g.startedAt.get(k) >= start + g.ticks.get(k) * period, "no tick runs before its deadline");
                assertTrue(k == 0 || g.ticks.get(k) > g.ticks.get(k - 1));
            }
        }
    }

    @Test
    void aLateWakeCatchesEveryDueMatchUpByTheSameBoundAndCountsTheSkips() {
        List<Game> games = new ArrayList<>();
        List<TickStats> stats = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Game g = new Game(20);
            games.add(g);
            stats.add(loop.add(g));
        }
        loop.doWork(now);
        long last = sortedStarts().get(99);
        now = last;
        loop.doWork(now); // tick 0 of every game (and tick 1 of one whose first deadline is a period before)
        int[] before = new int[100];
        for (int i = 0; i < 100; i++) {
            before[i] = games.get(i).ticks.size();
            assertTrue(before[i] == 1 || before[i] == 2, "game " + i + " ran " + before[i]);
        }
        now += 400 * MS; // the thread stalls: 8 more deadlines passed for every game
        loop.doWork(now);
        for (int i = 0; i < 100; i++) {
            List<Long> expected = new ArrayList<>();
            for (long k = 0; k < before[i] + 3; k++) {
                expected.add(k);
            }
            assertEquals(expected, games.get(i).ticks, "game " + i + ": caught up by 3, no more");
            assertEquals(5, stats.get(i).ticksSkipped(), "game " + i);
        }
        assertEquals(500, metrics_skipped());
    }

    @Test
    void aMatchFinishedWhileDueIsRemovedWithoutAnotherTickAndTheOthersDueStillRun() {
        Game a = new Game(20);
        Game b = new Game(20);
        Game c = new Game(20);
        loop.add(a);
        loop.add(b);
        loop.add(c);
        loop.doWork(now);
        now = sortedStarts().get(2);
        loop.doWork(now);
        assertEquals(List.of(0L), b.ticks);
        b.finished = true; // between ticks, while its next deadline is still ahead
        now += 60 * MS; // now all three are due
        long examinedBefore = loop.examined();
        assertEquals(2, loop.doWork(now));
        assertEquals(3, loop.examined() - examinedBefore);
        assertEquals(List.of(0L), b.ticks, "a finished match gets no further tick");
        assertEquals(List.of(0L, 1L), a.ticks);
        assertEquals(List.of(0L, 1L), c.ticks);
        assertEquals(2, loop.size());
        runFor(200 * MS, MS);
        assertEquals(List.of(0L), b.ticks);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), a.ticks);
    }

    @Test
    void aMatchThatFailsWhileOthersAreDueIsRemovedAndTheWakeGoesOn() {
        List<Game> games = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Game g = new Game(20);
            games.add(g);
            loop.add(g);
        }
        games.get(4).explodeOnTick = 1;
        loop.doWork(now);
        now = sortedStarts().get(9);
        loop.doWork(now);
        now += 50 * MS; // every game's tick 1 is due in this one wake
        assertEquals(9, loop.doWork(now));
        assertTrue(games.get(4).failure instanceof IllegalStateException);
        assertEquals(9, loop.size());
        for (int i = 0; i < 10; i++) {
            assertEquals(i == 4 ? List.of(0L) : List.of(0L, 1L), games.get(i).ticks, "game " + i);
        }
    }

    @Test
    void anErrorFromAMatchFailsItThenLeavesDoWorkAndTheLoopStillWorks() {
        Game bad = new Game(20);
        Game good = new Game(20);
        loop.add(bad);
        loop.add(good);
        loop.doWork(now);
        Error fatal = new Error("out of something");
        bad.fatalOnTick = fatal;
        now = sortedStarts().get(1);
        Error thrown = assertThrows(Error.class, () -> loop.doWork(now));
        assertSame(fatal, thrown);
        assertSame(fatal, bad.failure, "the match that threw it is failed first");
        assertEquals(1, loop.size());
        runFor(500 * MS, MS);
        assertTrue(good.ticks.size() >= 10, "good ran " + good.ticks.size());
        assertEquals(List.of(), bad.ticks);
    }

    @Test
    void eachMatchIsTimedFromItsOwnStartNotFromTheStartOfTheWake() {
        List<long[]> observed = new ArrayList<>();
        metrics.observe((d, l) -> observed.add(new long[] {d, l}));
        Game a = new Game(20);
        Game b = new Game(20);
        Game c = new Game(20);
        TickStats sa = loop.add(a);
        TickStats sb = loop.add(b);
        TickStats sc = loop.add(c);
        for (Game g : List.of(a, b, c)) {
            g.workNs = 10 * MS;
        }
        loop.doWork(now);
        List<Long> starts = sortedStarts(); // a, c, b in deadline order (phases 0, 0.236, 0.618)
        long wake = starts.get(2);
        now = wake;
        assertEquals(3, loop.doWork(now));
        assertEquals(3, observed.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(10 * MS, observed.get(i)[0], "tick " + i + " took its own 10 ms, not the pass so far");
            assertEquals(
                    wake + i * 10 * MS - starts.get(i),
                    observed.get(i)[1],
                    "tick " + i + " started after the ones before it in the wake");
        }
        for (TickStats s : List.of(sa, sb, sc)) {
            assertEquals(10 * MS, s.maxDurationNs());
        }
        assertEquals(wake + 20 * MS - starts.get(2), sb.maxLatenessNs());
        assertEquals(wake - starts.get(0), sa.maxLatenessNs());
        assertEquals(wake + 10 * MS - starts.get(1), sc.maxLatenessNs());
    }
}
