package io.tickroom.bots;

import io.tickroom.client.ClientRuntime;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a swarm: starts the bots evenly over the ramp-up, prints a progress line each second,
 * stops every bot (they disconnect) at the end of the duration, and returns the report. Usable
 * from the CLI and in-process from tests.
 */
public final class Swarm {
    private Swarm() {}

    private static long processCpuNs() {
        var os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    public static Report run(SwarmConfig config, PrintStream progress) throws Exception {
        SwarmMetrics metrics = new SwarmMetrics();
        BotTokens tokens = new BotTokens(config.secret());
        Scenario scenario = Scenario.named(config.scenario());
        List<Bot> bots = new ArrayList<>();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "swarm-progress");
            t.setDaemon(true);
            return t;
        });
        int threads = Math.max(4, Math.min(16, config.bots() / 50));
        try (ClientRuntime runtime = new ClientRuntime(threads)) {
            for (int i = 0; i < config.bots(); i++) {
                bots.add(new Bot(i, config, runtime, tokens, metrics));
            }
            long t0 = System.nanoTime();
            long cpu0 = processCpuNs();
            for (Bot bot : bots) {
                long at = config.bots() == 1 ? 0 : config.rampUpMs() * bot.index / config.bots();
                runtime.timer()
                        .schedule(
                                at,
                                () -> bot.connect()
                                        .thenAccept(c -> scenario.start(bot))
                                        .exceptionally(e -> {
                                            if (!bot.stopped) {
                                                metrics.failure("connect");
                                            }
                                            return null;
                                        }));
            }
            long[] last = {0, 0, 0};
            ticker.scheduleAtFixedRate(
                    () -> {
                        long in = metrics.framesIn.sum();
                        long out = metrics.framesOut.sum();
                        for (Bot b : bots) {
                            in += b.liveFramesIn();
                            out += b.liveFramesOut();
                        }
                        long dIn = in - last[0];
                        long dOut = out - last[1];
                        last[0] = in;
                        last[1] = out;
                        last[2]++;
                        progress.printf(
                                Locale.ROOT,
                                "t=%3ds bots=%d/%d lobby=%d match=%d in=%,d/s out=%,d/s errors=%d p99=%.1fms%n",
                                last[2],
                                metrics.connected.get(),
                                config.bots(),
                                metrics.inLobby.get(),
                                metrics.inMatch.get(),
                                dIn,
                                dOut,
                                metrics.errorCount(),
                                metrics.p99AllMs());
                    },
                    1,
                    1,
                    TimeUnit.SECONDS);
            // the steady state starts once every bot is in and has had time to be seated
            long steadyAtMs = Math.min(config.durationMs() / 2, config.rampUpMs() + 3_000);
            Thread.sleep(steadyAtMs);
            long steadyDeliveries = metrics.deliveries.sum();
            long steadySnapshots = metrics.snapshots.sum();
            long steadyT0 = System.nanoTime();
            Thread.sleep(config.durationMs() - steadyAtMs);
            double steadySeconds = (System.nanoTime() - steadyT0) / 1e9;
            metrics.steadyDeliveriesPerSecond = (metrics.deliveries.sum() - steadyDeliveries) / steadySeconds;
            metrics.steadySnapshotsPerSecond = (metrics.snapshots.sum() - steadySnapshots) / steadySeconds;
            double seconds = (System.nanoTime() - t0) / 1e9;
            metrics.botCpuCores = (processCpuNs() - cpu0) / 1e9 / seconds;
            int connectedAtEnd = metrics.connected.get();
            ticker.shutdownNow();
            List<java.util.concurrent.CompletableFuture<Void>> leaving = new ArrayList<>();
            for (Bot bot : bots) {
                leaving.add(bot.leaveAndStop());
            }
            try {
                java.util.concurrent.CompletableFuture.allOf(
                                leaving.toArray(java.util.concurrent.CompletableFuture[]::new))
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                bots.forEach(Bot::stop);
            }
            return new Report(config, metrics, seconds, connectedAtEnd);
        } finally {
            ticker.shutdownNow();
        }
    }
}
