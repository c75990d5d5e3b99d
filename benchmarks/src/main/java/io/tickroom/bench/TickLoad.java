package io.tickroom.bench;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.JoinMatch;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.arena.ArenaInput;
import io.tickroom.server.TickroomNode;
import io.tickroom.server.arena.ArenaGame;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.MatchConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.FrameSink;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.session.TokenBucket;
import io.tickroom.server.tick.TickMetrics;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * The tick threads under load: R arena matches × 8 players at 20 Hz on this machine's cores,
 * through the real node (dispatcher, match inbox, tick scheduler, snapshot encode and fan-out into
 * each session's outbound queue); only the sockets are replaced by sinks that count and complete
 * at once. Reports start lateness and tick duration percentiles, skipped ticks and deliveries/s
 * over the measured window.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tickroom.bench.TickLoad [matches=1000] [seconds=30] [inputHz=0]
 * java -cp benchmarks/target/benchmarks.jar io.tickroom.bench.TickLoad idle [matches=10000] [seconds=20] [threads=1]
 * </pre>
 * The second form runs the tick scheduler alone with idle matches (see {@link #idle}).
 * (or {@code scripts/bench-tick}). Not a timed test: it prints numbers for the README.
 */
public final class TickLoad {
    static final class CountingSink implements FrameSink {
        static final LongAdder FRAMES = new LongAdder();

        @Override
        public void send(ByteBuffer frame, WriteCallback done) {
            FRAMES.increment();
            done.written(null);
        }

        @Override
        public void close(int code, String reason) {}

        @Override
        public void abort() {}
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("idle")) {
            idle(
                    args.length > 1 ? Integer.parseInt(args[1]) : 10_000,
                    args.length > 2 ? Integer.parseInt(args[2]) : 20,
                    args.length > 3 ? Integer.parseInt(args[3]) : 1);
            return;
        }
        int matches = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int inputHz = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int players = 8;
        int warmupSeconds = 5;

        GameMode mode = GameMode.of(
                "bench-arena", 2, players, players, () -> new ArenaGame((long) (seconds + warmupSeconds + 60) * 20));
        ServerConfig config = ServerConfig.defaults("bench", "bench-secret-bench-secret-bench-secret-00")
                .withNet(NetConfig.defaults().withPort(0))
                .withLimits(LimitsConfig.defaults())
                .withMatch(new MatchConfig(MatchConfig.defaultThreads(), 3, matches + 10, 10_000, 0));
        TickroomNode node = new TickroomNode(config, TimeSource.SYSTEM, new GameModes(List.of(mode)));
        node.start();
        var dispatcher = node.playDispatcher();

        List<ClientSession> sessions = new ArrayList<>();
        List<String> matchOf = new ArrayList<>();
        for (int m = 0; m < matches; m++) {
            List<MatchService.Seating> seating = new ArrayList<>();
            List<ClientSession> group = new ArrayList<>();
            for (int p = 0; p < players; p++) {
                String user = "m" + m + "p" + p;
                CountingSink sink = new CountingSink();
                ClientSession s = new ClientSession(
                        "s-" + user,
                        new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                        Namespace.PLAY,
                        "bench",
                        sink,
                        new Outbound(sink, 1024, 8, System::nanoTime),
                        new TokenBucket(1000, 1000, System.nanoTime()),
                        new TokenBucket(10, 10, System.nanoTime()),
                        new TokenBucket(100, 1000, System.nanoTime()));
                node.sessions().open(s);
                group.add(s);
                seating.add(new MatchService.Seating(user, user));
            }
            MatchService.Placement placement = node.matches().create(mode, seating);
            for (ClientSession s : group) {
                dispatcher.onFrame(
                        s,
                        ByteBuffer.wrap(ClientFrame.newBuilder()
                                .setRequestId(1)
                                .setJoinMatch(JoinMatch.newBuilder()
                                        .setSeatToken(placement.seatTokens().get(s.userId())))
                                .build()
                                .toByteArray()));
                sessions.add(s);
                matchOf.add(placement.matchId());
            }
        }
        System.out.printf(
                "%d matches x %d players scheduled on %d tick threads; warming up %d s%n",
                matches, players, node.scheduler().threadCount(), warmupSeconds);

        Thread inputs = null;
        if (inputHz > 0) {
            inputs = new Thread(() -> feedInputs(sessions, matchOf, inputHz, dispatcher), "bench-inputs");
            inputs.setDaemon(true);
            inputs.start();
        }
        Thread.sleep(warmupSeconds * 1000L);
        TickMetrics.Snapshot before = node.scheduler().metrics();
        long framesBefore = CountingSink.FRAMES.sum();
        long cpuBefore = processCpuNs();
        long t0 = System.nanoTime();
        Hiccups hiccups = Hiccups.measure();
        Thread.sleep(seconds * 1000L);
        hiccups.stop();
        long elapsed = System.nanoTime() - t0;
        long cpu = processCpuNs() - cpuBefore;
        TickMetrics.Snapshot after = node.scheduler().metrics();
        long frames = CountingSink.FRAMES.sum() - framesBefore;

        double secs = elapsed / 1e9;
        System.out.printf("window %.1f s, input %d Hz per player%n", secs, inputHz);
        report(before, after, matches, elapsed, cpu);
        hiccups.print();
        System.out.printf("deliveries       %,.0f/s (snapshots to sinks)%n", frames / secs);
        System.exit(0);
    }

    /**
     * The tick scheduler alone: {@code matches} idle 20 Hz tickables (their tick does nothing) on
     * {@code threads} tick threads in real time, so what shows is whether the scheduler itself
     * keeps up. {@code TickLoad idle [matches=10000] [seconds=20] [threads=1]}.
     */
    static void idle(int matches, int seconds, int threads) throws InterruptedException {
        int warmupSeconds = 5;
        try (TickScheduler scheduler = new TickScheduler(threads, 3, TimeSource.SYSTEM)) {
            scheduler.start();
            for (int i = 0; i < matches; i++) {
                scheduler.schedule(new TickBenchmark.IdleGame());
            }
            System.out.printf(
                    "%,d idle 20 Hz matches on %d tick thread(s); warming up %d s%n", matches, threads, warmupSeconds);
            Thread.sleep(warmupSeconds * 1000L);
            TickMetrics.Snapshot before = scheduler.metrics();
            long cpuBefore = processCpuNs();
            long t0 = System.nanoTime();
            Hiccups hiccups = Hiccups.measure();
            Thread.sleep(seconds * 1000L);
            hiccups.stop();
            long elapsed = System.nanoTime() - t0;
            long cpu = processCpuNs() - cpuBefore;
            System.out.printf("window %.1f s%n", elapsed / 1e9);
            report(before, scheduler.metrics(), matches, elapsed, cpu);
            hiccups.print();
        }
    }

    private static void report(
            TickMetrics.Snapshot before, TickMetrics.Snapshot after, int matches, long elapsedNs, long cpuNs) {
        Histogram lateness = after.lateness.copy();
        lateness.subtract(before.lateness);
        Histogram duration = after.duration.copy();
        duration.subtract(before.duration);
        long ticks = after.ticksRun - before.ticksRun;
        long skipped = after.ticksSkipped - before.ticksSkipped;
        double secs = elapsedNs / 1e9;
        System.out.printf("ticks run        %,d (%.0f/s; expected %,d/s)%n", ticks, ticks / secs, matches * 20);
        System.out.printf("ticks skipped    %,d%n", skipped);
        System.out.printf(
                "start lateness   p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms%n",
                ms(lateness.getValueAtPercentile(50)),
                ms(lateness.getValueAtPercentile(99)),
                ms(lateness.getValueAtPercentile(99.9)),
                ms(lateness.getMaxValue()));
        System.out.printf(
                "tick duration    p50 %.1f us  p99 %.1f us  max %.1f us%n",
                duration.getValueAtPercentile(50) / 1e3,
                duration.getValueAtPercentile(99) / 1e3,
                duration.getMaxValue() / 1e3);
        System.out.printf("process CPU      %.0f%% of one core%n", 100.0 * cpuNs / elapsedNs);
    }

    private static void feedInputs(
            List<ClientSession> sessions,
            List<String> matchOf,
            int hz,
            io.tickroom.server.session.Dispatcher dispatcher) {
        long periodNs = 1_000_000_000L / hz;
        long next = System.nanoTime();
        List<ByteBuffer> frames = new ArrayList<>();
        for (int i = 0; i < sessions.size(); i++) {
            frames.add(ByteBuffer.wrap(ClientFrame.newBuilder()
                    .setMatchInput(MatchInput.newBuilder()
                            .setMatchId(matchOf.get(i))
                            .setPayload(ArenaInput.newBuilder()
                                    .setDx(1)
                                    .setDy(0.5f)
                                    .build()
                                    .toByteString()))
                    .build()
                    .toByteArray()));
        }
        while (true) {
            for (int i = 0; i < sessions.size(); i++) {
                dispatcher.onFrame(sessions.get(i), frames.get(i).duplicate());
            }
            next += periodNs;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    /**
     * The machine's own hiccups over the window, to read the lateness against: how late a thread
     * that parks for 1 ms at a time wakes up (jHiccup's idea). On a shared machine a stall here
     * is a stall of the tick threads too, whatever the scheduler does.
     */
    static final class Hiccups implements Runnable {
        private final Histogram oversleep = new Histogram(60_000_000_000L, 3);
        private final Thread thread = new Thread(this, "bench-hiccups");
        private volatile boolean running = true;

        static Hiccups measure() {
            Hiccups h = new Hiccups();
            h.thread.setDaemon(true);
            h.thread.start();
            return h;
        }

        @Override
        public void run() {
            while (running) {
                long t0 = System.nanoTime();
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                long over = System.nanoTime() - t0 - 1_000_000;
                synchronized (oversleep) {
                    oversleep.recordValue(Math.min(Math.max(over, 0), 60_000_000_000L));
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        void print() {
            synchronized (oversleep) {
                System.out.printf(
                        "machine hiccups  p99 %.3f ms  p99.9 %.3f ms  max %.3f ms (a 1 ms park's oversleep)%n",
                        ms(oversleep.getValueAtPercentile(99)),
                        ms(oversleep.getValueAtPercentile(99.9)),
                        ms(oversleep.getMaxValue()));
            }
        }
    }

    private static double ms(long ns) {
        return ns / 1e6;
    }

    private static long processCpuNs() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return 0;
    }
}
