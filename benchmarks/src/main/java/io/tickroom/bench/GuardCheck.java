package io.tickroom.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a JMH JSON result (run with {@code -prof gc}) and checks it against the thresholds in
 * {@code benchmarks/guard.properties}: bytes allocated per additional broadcast recipient, the
 * encode-once speed-up over per-recipient encoding measured in the same run, that a tick loop's
 * wake-up does not grow with the number of matches (the cost at 10,000 over the cost at 1,000 in
 * the same run, a budget at 10,000, no allocation), and that every expected benchmark is present.
 * {@code main(result.json, guard.properties)} exits 1 on a miss.
 */
public final class GuardCheck {
    /**
     * One benchmark row: name plus parameters, score (ns/op), bytes per op, and for the tick wake
     * its {@code ticks} counter's score (ns per tick run; NaN when the row has none).
     */
    record Row(String key, double nsPerOp, double bytesPerOp, double nsPerTick) {
        Row(String key, double nsPerOp, double bytesPerOp) {
            this(key, nsPerOp, bytesPerOp, Double.NaN);
        }

        /** The cost per tick run: a wake runs every tick due in its millisecond, so per wake grows with the loop. */
        double perTick() {
            return Double.isNaN(nsPerTick) ? nsPerOp : nsPerTick;
        }

        double bytesPerTick() {
            return bytesPerOp * perTick() / nsPerOp;
        }
    }

    private GuardCheck() {}

    static Map<String, Row> read(String json) {
        Map<String, Row> rows = new HashMap<>();
        for (Object o : (List<?>) MiniJson.parse(json)) {
            Map<?, ?> r = (Map<?, ?>) o;
            String name = (String) r.get("benchmark");
            name = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            Map<?, ?> params = (Map<?, ?>) r.get("params");
            String key = params == null
                    ? name
                    : name + ":" + params.values().iterator().next();
            double score = ((Number) ((Map<?, ?>) r.get("primaryMetric")).get("score")).doubleValue();
            double bytes = Double.NaN;
            double perTick = Double.NaN;
            Map<?, ?> secondary = (Map<?, ?>) r.get("secondaryMetrics");
            if (secondary != null) {
                for (Map.Entry<?, ?> e : secondary.entrySet()) {
                    if (String.valueOf(e.getKey()).endsWith("gc.alloc.rate.norm")) {
                        bytes = ((Number) ((Map<?, ?>) e.getValue()).get("score")).doubleValue();
                    } else if (String.valueOf(e.getKey()).equals("ticks")) {
                        perTick = ((Number) ((Map<?, ?>) e.getValue()).get("score")).doubleValue();
                    }
                }
            }
            rows.put(key, new Row(key, score, bytes, perTick));
        }
        return rows;
    }

    /** The misses; empty when the result passes. Also prints what it measured. */
    static List<String> check(Map<String, Row> rows, Properties limits) {
        List<String> missed = new ArrayList<>();
        for (String expected : limits.getProperty("expected.benchmarks").split(",")) {
            if (!rows.containsKey(expected.trim())) {
                missed.add("missing benchmark: " + expected.trim());
            }
        }
        Row once8 = rows.get("BroadcastBenchmark.encodeOnce:8");
        Row once64 = rows.get("BroadcastBenchmark.encodeOnce:64");
        Row once1024 = rows.get("BroadcastBenchmark.encodeOnce:1024");
        Row per64 = rows.get("BroadcastBenchmark.encodePerRecipient:64");
        if (once8 != null && once1024 != null) {
            double perRecipient = (once1024.bytesPerOp() - once8.bytesPerOp()) / 1016.0;
            double max = Double.parseDouble(limits.getProperty("max.bytes.per.additional.recipient"));
            System.out.printf(
                    Locale.ROOT,
                    "guard: %.1f bytes allocated per additional recipient (limit %.0f)%n",
                    perRecipient,
                    max);
            if (Double.isNaN(perRecipient)) {
                missed.add("no gc.alloc.rate.norm in the result: run with -prof gc");
            } else if (perRecipient > max) {
                missed.add(String.format(Locale.ROOT, "%.1f bytes per additional recipient > %.0f", perRecipient, max));
            }
        }
        if (once64 != null && per64 != null) {
            double speedup = per64.nsPerOp() / once64.nsPerOp();
            double min = Double.parseDouble(limits.getProperty("min.encode.once.speedup.at.64"));
            System.out.printf(
                    Locale.ROOT,
                    "guard: encode-once is %.1fx faster than per-recipient encoding at 64 (limit %.1fx)%n",
                    speedup,
                    min);
            if (speedup < min) {
                missed.add(String.format(
                        Locale.ROOT, "encode-once speed-up at 64 recipients %.2fx < %.1fx", speedup, min));
            }
        }
        Row snapshot64 = rows.get("BroadcastBenchmark.snapshotToEveryMember:64");
        if (once64 != null && snapshot64 != null) {
            double ratio = snapshot64.nsPerOp() / once64.nsPerOp();
            double max = Double.parseDouble(limits.getProperty("max.snapshot.vs.reliable.at.64"));
            System.out.printf(
                    Locale.ROOT,
                    "guard: a snapshot to 64 members costs %.2fx a reliable broadcast (limit %.1fx)%n",
                    ratio,
                    max);
            if (ratio > max) {
                missed.add(String.format(
                        Locale.ROOT, "a snapshot to 64 members costs %.2fx a reliable broadcast > %.1fx", ratio, max));
            }
        }
        Row wake1k = rows.get("TickBenchmark.wake:1000");
        Row wake10k = rows.get("TickBenchmark.wake:10000");
        if (wake1k != null && wake10k != null) {
            double growth = wake10k.perTick() / wake1k.perTick();
            double maxGrowth = Double.parseDouble(limits.getProperty("max.tick.wake.growth.1000.to.10000"));
            double maxNs = Double.parseDouble(limits.getProperty("max.tick.wake.ns.at.10000"));
            double maxBytes = Double.parseDouble(limits.getProperty("max.tick.wake.bytes"));
            System.out.printf(
                    Locale.ROOT,
                    "guard: a tick wake costs %.0f ns per tick run at 1,000 matches, %.0f ns at 10,000 "
                            + "(%.2fx, limit %.1fx; limit %.0f ns), %.2f B (limit %.0f)%n",
                    wake1k.perTick(),
                    wake10k.perTick(),
                    growth,
                    maxGrowth,
                    maxNs,
                    wake10k.bytesPerTick(),
                    maxBytes);
            if (growth > maxGrowth) {
                missed.add(String.format(
                        Locale.ROOT,
                        "tick wake cost grows %.2fx from 1,000 to 10,000 matches > %.1fx",
                        growth,
                        maxGrowth));
            }
            if (wake10k.perTick() > maxNs) {
                missed.add(String.format(
                        Locale.ROOT, "tick wake at 10,000 matches %.0f ns > %.0f ns", wake10k.perTick(), maxNs));
            }
            if (Double.isNaN(wake10k.bytesPerOp())) {
                missed.add("no gc.alloc.rate.norm in the result: run with -prof gc");
            } else if (wake10k.bytesPerTick() > maxBytes) {
                missed.add(String.format(
                        Locale.ROOT, "tick wake allocates %.1f bytes > %.0f", wake10k.bytesPerTick(), maxBytes));
            }
        }
        return missed;
    }

    static Properties limits(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return p;
    }

    public static void main(String[] args) throws IOException {
        Path result = Path.of(args.length > 0 ? args[0] : "benchmarks/target/jmh-guard.json");
        Path limitsFile = Path.of(args.length > 1 ? args[1] : "benchmarks/guard.properties");
        List<String> missed = check(read(Files.readString(result)), limits(limitsFile));
        if (missed.isEmpty()) {
            System.out.println("guard: PASSED");
            return;
        }
        System.out.println("guard: FAILED");
        missed.forEach(m -> System.out.println("  - " + m));
        System.exit(1);
    }
}
