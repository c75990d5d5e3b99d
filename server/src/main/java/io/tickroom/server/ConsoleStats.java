package io.tickroom.server;

import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.tick.TickMetrics;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * What the operator console plots: once a second, on its own thread, the node's sessions,
 * matches and lobbies, deliveries and frames in per second, and the p50/p99 of tick lateness and
 * duration over that second (the difference of two snapshots of the tick loop's HdrHistograms).
 * Keeps the last {@link #SAMPLES} seconds (policy past it: the oldest sample is overwritten), so
 * a console opened now sees the last five minutes at once. The live nodes are read on the
 * sampling thread too (clustered that is a Redis call, which no Jetty thread should wait on), so
 * {@link #json} and {@link #nodes} only read what was sampled; both may be called from any thread.
 */
final class ConsoleStats implements AutoCloseable {
    static final int SAMPLES = 300;

    /** One second of the node. Percentiles in microseconds; -1 when no tick ran in that second. */
    record Sample(
            long atMs,
            int sessions,
            int matches,
            int lobbies,
            double deliveriesPerS,
            double framesInPerS,
            long ticks,
            long latenessP50Us,
            long latenessP99Us,
            long durationP50Us,
            long durationP99Us) {}

    private final String nodeId;
    private final TimeSource time;
    private final TickScheduler scheduler;
    private final IntSupplier sessions;
    private final IntSupplier matches;
    private final IntSupplier lobbies;
    private final LongSupplier framesOut;
    private final LongSupplier framesIn;
    private final Supplier<List<NodeRegistry.NodeInfo>> nodes;
    private final Supplier<String> status;
    private final Sample[] ring = new Sample[SAMPLES];
    private volatile List<NodeRegistry.NodeInfo> nodesSeen = List.of();
    private int next;
    private int size;
    private final ScheduledExecutorService timer;
    // only the sampling thread touches these
    private TickMetrics.Snapshot previous = new TickMetrics.Snapshot();
    /**
     * The snapshot taken now, and the second's differences: reused every second (four fresh
     * 60 s histograms a second were the node's second-biggest allocation at W1 200, JFR).
     */
    private TickMetrics.Snapshot current = new TickMetrics.Snapshot();

    private final Histogram lateness = TickMetrics.Snapshot.histogram();
    private final Histogram duration = TickMetrics.Snapshot.histogram();
    private long previousOut;
    private long previousIn;
    private long previousNs;

    ConsoleStats(
            String nodeId,
            TimeSource time,
            TickScheduler scheduler,
            IntSupplier sessions,
            IntSupplier matches,
            IntSupplier lobbies,
            LongSupplier framesOut,
            LongSupplier framesIn,
            Supplier<List<NodeRegistry.NodeInfo>> nodes,
            Supplier<String> status,
            java.util.concurrent.ThreadFactory thread) {
        this.nodeId = nodeId;
        this.time = time;
        this.scheduler = scheduler;
        this.sessions = sessions;
        this.matches = matches;
        this.lobbies = lobbies;
        this.framesOut = framesOut;
        this.framesIn = framesIn;
        this.nodes = nodes;
        this.status = status;
        this.timer = Executors.newSingleThreadScheduledExecutor(thread);
    }

    void start() {
        prime();
        timer.scheduleAtFixedRate(
                io.tickroom.server.thread.NodeThreads.escalating(this::sampleSafely), 1, 1, TimeUnit.SECONDS);
    }

    /** The baseline the first sample is measured from (tests call it, then {@link #sample} by hand). */
    void prime() {
        readNodes();
        scheduler.metricsInto(previous);
        previousOut = framesOut.getAsLong();
        previousIn = framesIn.getAsLong();
        previousNs = time.nanoTime();
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            // a failed read (Redis down for the lobby count) costs one sample, never the timer
        }
    }

    void sample() {
        readNodes();
        long nowNs = time.nanoTime();
        double seconds = Math.max(1e-3, (nowNs - previousNs) / 1e9);
        TickMetrics.Snapshot now = current;
        scheduler.metricsInto(now);
        now.lateness.copyInto(lateness);
        lateness.subtract(previous.lateness);
        now.duration.copyInto(duration);
        duration.subtract(previous.duration);
        long out = framesOut.getAsLong();
        long in = framesIn.getAsLong();
        int lobbyCount;
        try {
            lobbyCount = lobbies.getAsInt();
        } catch (RuntimeException e) {
            lobbyCount = -1;
        }
        Sample s = new Sample(
                time.epochMillis(),
                sessions.getAsInt(),
                matches.getAsInt(),
                lobbyCount,
                (out - previousOut) / seconds,
                (in - previousIn) / seconds,
                lateness.getTotalCount(),
                percentileUs(lateness, 50),
                percentileUs(lateness, 99),
                percentileUs(duration, 50),
                percentileUs(duration, 99));
        current = previous;
        previous = now;
        previousOut = out;
        previousIn = in;
        previousNs = nowNs;
        synchronized (this) {
            ring[next] = s;
            next = (next + 1) % SAMPLES;
            size = Math.min(size + 1, SAMPLES);
        }
    }

    private void readNodes() {
        try {
            nodesSeen = List.copyOf(nodes.get());
        } catch (RuntimeException e) {
            // unreachable registry: keep the last list
        }
    }

    /** The live nodes as last sampled. */
    List<NodeRegistry.NodeInfo> nodes() {
        return nodesSeen;
    }

    private static long percentileUs(Histogram h, double p) {
        return h.getTotalCount() == 0 ? -1 : h.getValueAtPercentile(p) / 1_000;
    }

    /** The samples, oldest first. */
    synchronized List<Sample> samples() {
        Sample[] out = new Sample[size];
        for (int i = 0; i < size; i++) {
            out[i] = ring[(next - size + i + SAMPLES) % SAMPLES];
        }
        return List.of(out);
    }

    /** The console's JSON: this node, the live nodes with their load, and the series column by column. */
    String json() {
        StringBuilder b = new StringBuilder(16 * 1024);
        b.append("{\"node\":")
                .append(quote(nodeId))
                .append(",\"status\":")
                .append(quote(status.get()))
                .append(",\"now_ms\":")
                .append(time.epochMillis())
                .append(",\"nodes\":[");
        List<NodeRegistry.NodeInfo> live = nodesSeen;
        for (int i = 0; i < live.size(); i++) {
            NodeRegistry.NodeInfo n = live.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"node_id\":")
                    .append(quote(n.nodeId()))
                    .append(",\"url\":")
                    .append(quote(n.url()))
                    .append(",\"sessions\":")
                    .append(n.sessions())
                    .append(",\"matches\":")
                    .append(n.matches())
                    .append('}');
        }
        List<Sample> s = samples();
        b.append("],\"series\":{");
        column(b, "t_ms", s, x -> x.atMs(), false);
        column(b, "sessions", s, x -> x.sessions(), true);
        column(b, "matches", s, x -> x.matches(), true);
        column(b, "lobbies", s, x -> x.lobbies(), true);
        column(b, "deliveries_per_s", s, x -> Math.round(x.deliveriesPerS()), true);
        column(b, "frames_in_per_s", s, x -> Math.round(x.framesInPerS()), true);
        column(b, "ticks", s, x -> x.ticks(), true);
        column(b, "lateness_p50_us", s, x -> x.latenessP50Us(), true);
        column(b, "lateness_p99_us", s, x -> x.latenessP99Us(), true);
        column(b, "duration_p50_us", s, x -> x.durationP50Us(), true);
        column(b, "duration_p99_us", s, x -> x.durationP99Us(), true);
        return b.append("}}").toString();
    }

    private static void column(
            StringBuilder b,
            String name,
            List<Sample> s,
            java.util.function.ToLongFunction<Sample> value,
            boolean comma) {
        b.append(comma ? "," : "").append('"').append(name).append("\":[");
        for (int i = 0; i < s.size(); i++) {
            b.append(i == 0 ? "" : ",").append(value.applyAsLong(s.get(i)));
        }
        b.append(']');
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
