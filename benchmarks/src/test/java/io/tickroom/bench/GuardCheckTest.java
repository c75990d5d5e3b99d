package io.tickroom.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The CI guard's checker against JMH-shaped results: it passes a good run and names every miss. */
class GuardCheckTest {
    static String row(String name, String recipients, double ns, double bytes) {
        return row(name, "recipients", recipients, ns, bytes);
    }

    static String row(String name, String param, String value, double ns, double bytes) {
        String params = value == null ? "" : "\"params\": {\"" + param + "\": \"" + value + "\"},";
        return "{\"benchmark\": \"io.tickroom.bench." + name + "\", \"mode\": \"avgt\", " + params
                + "\"primaryMetric\": {\"score\": " + ns + ", \"scoreUnit\": \"ns/op\"},"
                + "\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": " + bytes + "}}}";
    }

    static String result(double once64, double per64, double bytes1024, boolean dropTick) {
        return result(once64, per64, bytes1024, dropTick, 90, 125, 0.001, once64 * 1.05);
    }

    static String result(
            double once64,
            double per64,
            double bytes1024,
            boolean dropTick,
            double wake1k,
            double wake10k,
            double wakeBytes,
            double snapshot64) {
        List<String> rows = new ArrayList<>(List.of(
                row("BroadcastBenchmark.snapshotToEveryMember", "64", snapshot64, 56),
                row("BroadcastBenchmark.encodeOnce", "8", 400, 600),
                row("BroadcastBenchmark.encodeOnce", "64", once64, 3_700),
                row("BroadcastBenchmark.encodeOnce", "1024", 30_000, bytes1024),
                row("BroadcastBenchmark.encodePerRecipient", "8", 1_500, 4_000),
                row("BroadcastBenchmark.encodePerRecipient", "64", per64, 30_000),
                row("BroadcastBenchmark.encodePerRecipient", "1024", 170_000, 450_000),
                row("CodecBenchmark.decodeClientFrame", null, 110, 100),
                row("CodecBenchmark.encodeClientFrame", null, 60, 40),
                row("CodecBenchmark.encodeServerFrame", null, 520, 300),
                row("CodecBenchmark.decodeServerFrame", null, 780, 900),
                row("RoutingBenchmark.toSeveralExceptOne", null, 95_000, 50_000)));
        rows.add(row("TickBenchmark.wake", "matches", "1000", wake1k, 0.001));
        rows.add(row("TickBenchmark.wake", "matches", "5000", (wake1k + wake10k) / 2, 0.001));
        if (!dropTick) {
            rows.add(row("TickBenchmark.wake", "matches", "10000", wake10k, wakeBytes));
        }
        return "[" + String.join(",", rows) + "]";
    }

    static Properties limits() throws Exception {
        return GuardCheck.limits(Path.of("guard.properties"));
    }

    @Test
    void passesAGoodRun() throws Exception {
        assertEquals(List.of(), GuardCheck.check(GuardCheck.read(result(1_800, 10_400, 600 + 1016, false)), limits()));
    }

    @Test
    void failsWhenEachRecipientAllocatesTooMuch() throws Exception {
        // 56 B: one duplicate() of the shared frame per send, as every send took until 2026-12-02
        List<String> missed =
                GuardCheck.check(GuardCheck.read(result(1_800, 10_400, 600 + 56 * 1016, false)), limits());
        assertEquals(1, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("56.0 bytes per additional recipient"));
    }

    @Test
    void failsWhenEncodeOnceIsNotFourTimesFaster() throws Exception {
        List<String> missed = GuardCheck.check(GuardCheck.read(result(9_000, 10_400, 600 + 1016, false)), limits());
        assertEquals(1, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("encode-once speed-up at 64 recipients 1.16x"));
    }

    @Test
    void failsWhenASnapshotCostsFarMoreThanAReliableFrame() throws Exception {
        // what the snapshot path measured while every snapshot went through a slot and the queue:
        // 5,881 ns at 64 recipients against encode-once's 2,225 (2.6x); with the direct path 1.02x
        List<String> missed = GuardCheck.check(
                GuardCheck.read(result(2_225, 10_400, 600 + 1016, false, 90, 125, 0.001, 5_881)), limits());
        assertEquals(1, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("a snapshot to 64 members costs 2.64x"), missed.get(0));
    }

    @Test
    void failsWhenABenchmarkIsMissing() throws Exception {
        List<String> missed = GuardCheck.check(GuardCheck.read(result(1_800, 10_400, 600 + 1016, true)), limits());
        assertEquals(List.of("missing benchmark: TickBenchmark.wake:10000"), missed);
    }

    @Test
    void failsWhenATickWakeGrowsWithTheNumberOfMatches() throws Exception {
        // what a loop that scans every match per wake measured: 3 us at 1,000, 37 us at 10,000
        List<String> missed = GuardCheck.check(
                GuardCheck.read(result(1_800, 10_400, 600 + 1016, false, 2_978, 36_737, 0.2, 1_890)), limits());
        assertEquals(2, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("tick wake cost grows 12.34x"), missed.get(0));
        assertTrue(missed.get(1).startsWith("tick wake at 10,000 matches 36737 ns > 2500 ns"), missed.get(1));
    }

    @Test
    void judgesTheTickWakePerTickRunWhenTheRunCountsTicks() throws Exception {
        // a wake runs its millisecond's share: 20 ticks at 1,000 matches, 200 at 10,000
        String json = result(3_700, 30_000, 600, false)
                .replace(
                        "\"matches\": \"1000\"},\"primaryMetric\": {\"score\": 90.0,",
                        "\"matches\": \"1000\"},\"primaryMetric\": {\"score\": 1800.0,")
                .replace(
                        "\"matches\": \"10000\"},\"primaryMetric\": {\"score\": 125.0,",
                        "\"matches\": \"10000\"},\"primaryMetric\": {\"score\": 25000.0,");
        json = json.replace(
                "\"ns/op\"},\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": 0.001}}}",
                "\"ns/op\"},\"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": 0.001}, \"ticks\": {\"score\": 90.0}}}");
        var rows = GuardCheck.read(json);
        assertEquals(1800.0, rows.get("TickBenchmark.wake:1000").nsPerOp());
        assertEquals(90.0, rows.get("TickBenchmark.wake:1000").perTick());
        assertEquals(List.of(), GuardCheck.check(rows, limits()), "per tick run the cost is flat");
    }

    @Test
    void failsWhenATickWakeAllocates() throws Exception {
        List<String> missed = GuardCheck.check(
                GuardCheck.read(result(1_800, 10_400, 600 + 1016, false, 90, 125, 24, 1_890)), limits());
        assertEquals(List.of("tick wake allocates 24.0 bytes > 8"), missed);
    }
}
