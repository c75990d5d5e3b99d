package io.tickroom.bots;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/** The result of a swarm run: the numbers, a table for people and JSON for machines. */
public final class Report {
    /** Percentiles of one distribution, in milliseconds. */
    public record Dist(long count, double p50, double p90, double p99, double p999, double max) {
        static Dist of(Histogram h) {
            if (h.getTotalCount() == 0) {
                return new Dist(0, 0, 0, 0, 0, 0);
            }
            return new Dist(
                    h.getTotalCount(),
                    ms(h.getValueAtPercentile(50)),
                    ms(h.getValueAtPercentile(90)),
                    ms(h.getValueAtPercentile(99)),
                    ms(h.getValueAtPercentile(99.9)),
                    ms(h.getMaxValue()));
        }

        private static double ms(long micros) {
            return micros / 1000.0;
        }

        double percentile(double p) {
            if (p == 50) {
                return p50;
            } else if (p == 90) {
                return p90;
            } else if (p == 99) {
                return p99;
            } else if (p == 99.9) {
                return p999;
            } else if (p == 100) {
                return max;
            }
            throw new IllegalArgumentException("percentile must be 50, 90, 99, 99.9 or 100 (max), was " + p);
        }
    }

    final String scenario;
    final int bots;
    final double seconds;
    final Dist connect;
    final Map<String, Dist> requests = new TreeMap<>();
    final Dist snapshotJitter;
    final Dist chatDeliveryLatency;
    final Dist snapshotLatency;
    final double snapshotsPerSecond;
    final double botCpuCores;
    final double steadyDeliveriesPerSecond;
    final double steadySnapshotsPerSecond;
    final double deliveriesPerSecond;
    final double framesInPerSecond;
    final double framesOutPerSecond;
    final long requestCount;
    final Map<String, Long> errors;
    final Map<String, Long> expected;
    final Map<String, Long> failures;
    final Map<String, Long> closeCodes;
    final long reconnects;
    final long resumes;
    final long resumesFailed;
    final long gaveUp;
    final long matchesPlayed;
    final double errorRate;
    final int connectedAtEnd;
    List<String> sloMissed = List.of();
    /** Every SLO checked, met or missed (set by {@link Slo#evaluate}). */
    List<Slo.Verdict> sloVerdicts = List.of();

    Report(SwarmConfig config, SwarmMetrics m, double seconds, int connectedAtEnd) {
        this.scenario = config.scenario();
        this.bots = config.bots();
        this.seconds = seconds;
        this.connect = Dist.of(m.connect);
        m.requests.forEach((k, h) -> requests.put(k, Dist.of(h)));
        this.snapshotJitter = Dist.of(m.snapshotJitter);
        this.chatDeliveryLatency = Dist.of(m.deliveryLatency);
        this.snapshotLatency = Dist.of(m.snapshotLatency);
        this.snapshotsPerSecond = m.snapshots.sum() / seconds;
        this.botCpuCores = m.botCpuCores;
        this.steadyDeliveriesPerSecond = m.steadyDeliveriesPerSecond;
        this.steadySnapshotsPerSecond = m.steadySnapshotsPerSecond;
        this.deliveriesPerSecond = m.deliveries.sum() / seconds;
        this.framesInPerSecond = m.framesIn.sum() / seconds;
        this.framesOutPerSecond = m.framesOut.sum() / seconds;
        this.requestCount = m.requestCount.sum();
        this.errors = SwarmMetrics.sums(m.errors);
        this.expected = SwarmMetrics.sums(m.expected);
        this.failures = SwarmMetrics.sums(m.failures);
        this.closeCodes = SwarmMetrics.sums(m.closeCodes);
        this.reconnects = m.reconnects.sum();
        this.resumes = m.resumes.sum();
        this.resumesFailed = m.resumesFailed.sum();
        this.gaveUp = m.gaveUp.sum();
        this.matchesPlayed = m.matchesPlayed.sum();
        this.errorRate = m.errorRate();
        this.connectedAtEnd = connectedAtEnd;
    }

    public double errorRate() {
        return errorRate;
    }

    public long reconnects() {
        return reconnects;
    }

    public long resumes() {
        return resumes;
    }

    public long requestCount() {
        return requestCount;
    }

    public long matchesPlayed() {
        return matchesPlayed;
    }

    public Map<String, Long> errors() {
        return errors;
    }

    public Map<String, Long> failures() {
        return failures;
    }

    public Map<String, Dist> requests() {
        return requests;
    }

    public Dist connect() {
        return connect;
    }

    public Dist snapshotJitter() {
        return snapshotJitter;
    }

    public double deliveriesPerSecond() {
        return deliveriesPerSecond;
    }

    public double snapshotsPerSecond() {
        return snapshotsPerSecond;
    }

    public double steadyDeliveriesPerSecond() {
        return steadyDeliveriesPerSecond;
    }

    public double botCpuCores() {
        return botCpuCores;
    }

    static int botCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    public long gaveUp() {
        return gaveUp;
    }

    public int connectedAtEnd() {
        return connectedAtEnd;
    }

    public List<String> sloMissed() {
        return sloMissed;
    }

    /** The distribution an SLO names: "connect", "snapshot_jitter", "chat_delivery" or a request type. */
    Dist dist(String name) {
        return switch (name) {
            case "connect" -> connect;
            case "snapshot_jitter" -> snapshotJitter;
            case "chat_delivery" -> chatDeliveryLatency;
            case "snapshot_latency" -> snapshotLatency;
            default -> requests.get(name);
        };
    }

    public String table() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(
                Locale.ROOT,
                "%nscenario %s, %d bots, %.1f s, %,d requests, %,d matches played%n",
                scenario,
                bots,
                seconds,
                requestCount,
                matchesPlayed));
        b.append(String.format(
                Locale.ROOT,
                "%-22s %9s %9s %9s %9s %9s %9s%n",
                "latency (ms)",
                "count",
                "p50",
                "p90",
                "p99",
                "p99.9",
                "max"));
        row(b, "connect", connect);
        requests.forEach((k, d) -> row(b, k, d));
        row(b, "snapshot_jitter", snapshotJitter);
        row(b, "chat_delivery", chatDeliveryLatency);
        row(b, "snapshot_latency", snapshotLatency);
        b.append(String.format(
                Locale.ROOT,
                "deliveries %,.0f/s (snapshots %,.0f/s), frames in %,.0f/s, out %,.0f/s%n",
                deliveriesPerSecond,
                snapshotsPerSecond,
                framesInPerSecond,
                framesOutPerSecond));
        b.append(String.format(
                Locale.ROOT,
                "steady state (after the ramp-up): deliveries %,.0f/s, snapshots %,.0f/s%n",
                steadyDeliveriesPerSecond,
                steadySnapshotsPerSecond));
        b.append(String.format(
                Locale.ROOT,
                "bot process CPU %.2f cores%s%n",
                botCpuCores,
                botCpuCores > 0.9 * botCores()
                        ? "  ** the bots' cores were saturated: this run measures the bots, not the server **"
                        : ""));
        b.append(String.format(
                Locale.ROOT,
                "error rate %.4f%% errors %s failures %s expected %s%n",
                errorRate * 100,
                errors,
                failures,
                expected));
        b.append(String.format(
                Locale.ROOT,
                "reconnects %d (resumed %d, resume refused %d), gave up %d, close codes %s, " + "connected at end %d%n",
                reconnects,
                resumes,
                resumesFailed,
                gaveUp,
                closeCodes,
                connectedAtEnd));
        for (Slo.Verdict v : sloVerdicts) {
            b.append("SLO ").append(v).append('\n');
        }
        if (!sloMissed.isEmpty()) {
            b.append("SLO MISSED: ").append(String.join("; ", sloMissed)).append('\n');
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String name, Dist d) {
        b.append(String.format(
                Locale.ROOT,
                "%-22s %9d %9.2f %9.2f %9.2f %9.2f %9.2f%n",
                name,
                d.count(),
                d.p50(),
                d.p90(),
                d.p99(),
                d.p999(),
                d.max()));
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("scenario", scenario);
        root.put("bots", bots);
        root.put("seconds", seconds);
        root.put("connect_ms", distMap(connect));
        Map<String, Object> req = new LinkedHashMap<>();
        requests.forEach((k, d) -> req.put(k, distMap(d)));
        root.put("request_latency_ms", req);
        root.put("snapshot_jitter_ms", distMap(snapshotJitter));
        root.put("chat_delivery_ms", distMap(chatDeliveryLatency));
        root.put("snapshot_latency_ms", distMap(snapshotLatency));
        root.put("snapshots_per_s", snapshotsPerSecond);
        root.put("steady_deliveries_per_s", steadyDeliveriesPerSecond);
        root.put("steady_snapshots_per_s", steadySnapshotsPerSecond);
        root.put("bot_cpu_cores", botCpuCores);
        root.put("bots_saturated", botCpuCores > 0.9 * botCores());
        root.put("deliveries_per_s", deliveriesPerSecond);
        root.put("frames_in_per_s", framesInPerSecond);
        root.put("frames_out_per_s", framesOutPerSecond);
        root.put("requests", requestCount);
        root.put("matches_played", matchesPlayed);
        root.put("errors_by_code", errors);
        root.put("expected_by_code", expected);
        root.put("failures", failures);
        root.put("error_rate", errorRate);
        root.put("reconnects", reconnects);
        root.put("resumes", resumes);
        root.put("resumes_failed", resumesFailed);
        root.put("gave_up", gaveUp);
        root.put("close_codes", closeCodes);
        root.put("connected_at_end", connectedAtEnd);
        root.put("slo_missed", sloMissed);
        return Json.write(root);
    }

    private static Map<String, Object> distMap(Dist d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", d.count());
        m.put("p50", d.p50());
        m.put("p90", d.p90());
        m.put("p99", d.p99());
        m.put("p99_9", d.p999());
        m.put("max", d.max());
        return m;
    }
}
