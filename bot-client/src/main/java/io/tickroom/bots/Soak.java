package io.tickroom.bots;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A soak: runs the swarm against a node while sampling the node's counts and heap-after-GC from
 * {@code /health}; after the bots leave, fails unless every count returns to zero within the
 * settle time and the heap after GC grew by at most {@code --max-heap-growth-mb}. Exit 0 pass,
 * 1 fail. {@code scripts/soak} starts the node and runs this.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false)
public final class Soak implements Callable<Integer> {
    @Option(names = "--health", required = true, description = "The node's /health URL(s).", split = ",")
    List<URI> health;

    @Option(names = "--url", required = true, split = ",", description = "Node WebSocket URL(s) for the bots.")
    List<URI> urls;

    @Option(names = "--bots", defaultValue = "200")
    int bots;

    @Option(names = "--ramp-up", converter = Durations.class, defaultValue = "PT10S")
    Duration rampUp;

    @Option(names = "--duration", converter = Durations.class, defaultValue = "PT60S")
    Duration duration;

    @Option(names = "--scenario", defaultValue = "lobby")
    String scenario;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--secret", defaultValue = "${env:TICKROOM_JWT_SECRET:-tickroom-dev-secret-change-me-0123456789}")
    String secret;

    @Option(names = "--mode", defaultValue = "arena-sprint")
    String mode;

    @Option(names = "--input-hz", defaultValue = "10")
    int inputHz;

    @Option(names = "--chat-rate", defaultValue = "1")
    double chatRate;

    @Option(names = "--lobby-size", defaultValue = "16")
    int lobbySize;

    @Option(
            names = "--expected-deliveries-per-s",
            defaultValue = "0",
            description = "Print achieved deliveries against this (benchmarks).")
    double expectedDeliveries;

    @Option(names = "--sample-every", converter = Durations.class, defaultValue = "PT5S")
    Duration sampleEvery;

    @Option(
            names = "--settle",
            converter = Durations.class,
            defaultValue = "PT30S",
            description = "How long counts get to return to zero (${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--max-heap-growth-mb", defaultValue = "64")
    long maxHeapGrowthMb;

    @Option(
            names = "--server-pid",
            description = "The node's pid: jcmd GC.run before the heap samples that are compared.")
    List<Long> serverPids = List.of();

    @Option(names = "--slo", description = "Swarm SLOs, as for scripts/bots.")
    String slo;

    private static final Pattern NUMBER = Pattern.compile("\"([a-z_]+)\":(\\d+)");
    private static final List<String> COUNTS = List.of(
            "sessions",
            "users",
            "rooms",
            "room_memberships",
            "lobbies",
            "lobby_members",
            "streams",
            "matches",
            "seated_users",
            "seated_sessions",
            "scheduled_matches",
            "queued",
            "lobby_cache",
            "cluster_calls",
            "held_seats",
            "resume_records");
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Map<String, Long> sample(URI uri) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Long> out = new LinkedHashMap<>();
        Matcher m = NUMBER.matcher(r.body());
        while (m.find()) {
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    long heapAfterFullGc() throws Exception {
        for (long pid : serverPids) {
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(30, TimeUnit.SECONDS);
        }
        long sum = 0;
        for (URI h : health) {
            sum += sample(h).getOrDefault("heap_after_gc_bytes", 0L);
        }
        return sum;
    }

    /** utime + stime of the server processes, in clock ticks, or -1 without /proc or a pid. */
    long serverCpuTicks() {
        if (serverPids.isEmpty()) {
            return -1;
        }
        long sum = 0;
        for (long pid : serverPids) {
            try {
                String stat =
                        java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (Exception e) {
                return -1;
            }
        }
        return sum;
    }

    long serverRssKb() {
        long sum = 0;
        for (long pid : serverPids) {
            try {
                for (String line : java.nio.file.Files.readAllLines(
                        java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        sum += Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (Exception e) {
                return -1;
            }
        }
        return sum;
    }

    @Override
    public Integer call() throws Exception {
        SwarmConfig config = new SwarmConfig(
                urls,
                bots,
                rampUp.toMillis(),
                duration.toMillis(),
                scenario,
                seed,
                secret,
                mode,
                chatRate,
                inputHz,
                10_000,
                lobbySize);
        List<String> problems = new ArrayList<>();
        long heapBefore = heapAfterFullGc();
        long rssBeforeKb = serverRssKb();
        long[] rssConnectedKb = {-1};
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        // halfway through the steady state: a full GC, then the RSS with every bot connected
        sampler.schedule(
                () -> {
                    try {
                        heapAfterFullGc();
                        rssConnectedKb[0] = serverRssKb();
                    } catch (Exception e) {
                        System.out.println("mid-run RSS sample failed: " + e);
                    }
                },
                rampUp.toMillis() + (duration.toMillis() - rampUp.toMillis()) / 2,
                TimeUnit.MILLISECONDS);
        sampler.scheduleAtFixedRate(
                () -> {
                    for (URI h : health) {
                        try {
                            Map<String, Long> s = sample(h);
                            System.out.printf(
                                    Locale.ROOT,
                                    "sample %s sessions=%d lobbies=%d matches=%d rooms=%d heap_after_gc=%.1fMB%n",
                                    h.getPort(),
                                    s.get("sessions"),
                                    s.get("lobbies"),
                                    s.get("matches"),
                                    s.get("rooms"),
                                    s.getOrDefault("heap_after_gc_bytes", 0L) / 1048576.0);
                        } catch (Exception e) {
                            System.out.println("sample " + h + " failed: " + e);
                        }
                    }
                },
                0,
                sampleEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        Report report;
        long[] steadyCpu = {-1, 0};
        long steadyAtMs = Math.min(duration.toMillis() / 2, rampUp.toMillis() + 3_000);
        sampler.schedule(
                () -> {
                    steadyCpu[0] = serverCpuTicks();
                    steadyCpu[1] = System.nanoTime();
                },
                steadyAtMs,
                TimeUnit.MILLISECONDS);
        long[] steadyEnd = {-1, 0};
        sampler.schedule(
                () -> {
                    steadyEnd[0] = serverCpuTicks();
                    steadyEnd[1] = System.nanoTime();
                },
                duration.toMillis() - 100,
                TimeUnit.MILLISECONDS);
        long cpuBefore = serverCpuTicks();
        long t0 = System.nanoTime();
        report = Swarm.run(config, System.out);
        sampler.shutdownNow();
        double wallS = (System.nanoTime() - t0) / 1e9;
        long cpuTicks = serverCpuTicks() - cpuBefore;
        if (cpuBefore >= 0) {
            // /proc/PID/stat counts in clock ticks of 1/100 s on Linux
            double cpuS = cpuTicks / 100.0;
            System.out.printf(
                    Locale.ROOT,
                    "server CPU over the swarm: %.0f%% of one core; server RSS %.1f MB%n",
                    100.0 * cpuS / wallS,
                    serverRssKb() / 1024.0);
            if (rssConnectedKb[0] > 0 && rssBeforeKb > 0) {
                System.out.printf(
                        Locale.ROOT,
                        "server RSS after GC: %.1f MB idle, %.1f MB with %d bots connected: %.1f KiB per connection%n",
                        rssBeforeKb / 1024.0,
                        rssConnectedKb[0] / 1024.0,
                        bots,
                        (rssConnectedKb[0] - rssBeforeKb) / (double) bots);
            }
            if (steadyCpu[0] >= 0 && steadyEnd[0] >= 0) {
                double steadyS = (steadyEnd[1] - steadyCpu[1]) / 1e9;
                double steadyCpuS = (steadyEnd[0] - steadyCpu[0]) / 100.0;
                double rate = report.steadyDeliveriesPerSecond();
                System.out.printf(
                        Locale.ROOT,
                        "steady state: server CPU %.0f%% of one core, %.1f us of server CPU per delivery "
                                + "(%,.0f deliveries/s%s)%n",
                        100 * steadyCpuS / steadyS,
                        rate == 0 ? 0 : steadyCpuS * 1e6 / (rate * steadyS),
                        rate,
                        expectedDeliveries > 0
                                ? String.format(
                                        Locale.ROOT,
                                        " of %,.0f expected: %.1f%%",
                                        expectedDeliveries,
                                        100 * rate / expectedDeliveries)
                                : "");
            }
        }
        report.sloMissed = Slo.parse(slo).evaluate(report);
        System.out.print(report.table());
        problems.addAll(report.sloMissed);

        long deadline = System.nanoTime() + settle.toNanos();
        Map<URI, Map<String, Long>> last = new LinkedHashMap<>();
        boolean zero = false;
        while (System.nanoTime() < deadline) {
            zero = true;
            for (URI h : health) {
                Map<String, Long> s = sample(h);
                last.put(h, s);
                for (String k : COUNTS) {
                    if (s.getOrDefault(k, 0L) != 0) {
                        zero = false;
                    }
                }
            }
            if (zero) {
                break;
            }
            Thread.sleep(250);
        }
        if (!zero) {
            problems.add("counts did not return to zero within " + settle + ": " + last);
        }
        long heapAfter = heapAfterFullGc();
        long growthMb = (heapAfter - heapBefore) / (1024 * 1024);
        System.out.printf(
                Locale.ROOT,
                "heap after GC: before %.1f MB, after %.1f MB (growth %d MB, bound %d MB)%n",
                heapBefore / 1048576.0,
                heapAfter / 1048576.0,
                growthMb,
                maxHeapGrowthMb);
        if (growthMb > maxHeapGrowthMb) {
            problems.add("heap after GC grew " + growthMb + " MB > " + maxHeapGrowthMb + " MB");
        }
        if (report.errorRate() > 0) {
            problems.add(String.format(
                    Locale.ROOT,
                    "error rate %.4f%% (errors %s, failures %s)",
                    report.errorRate() * 100,
                    report.errors(),
                    report.failures()));
        }
        if (problems.isEmpty()) {
            System.out.println("SOAK PASSED: counts back to zero, heap bounded, no errors");
            return 0;
        }
        System.out.println("SOAK FAILED:");
        problems.forEach(p -> System.out.println("  - " + p));
        return 1;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Soak()).execute(args));
    }
}
