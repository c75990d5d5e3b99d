package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.testing.NodeProcess;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The guard on memory per idle connection that timing noise cannot move: what the heap of a real
 * node process holds per idle session after a full GC, from two class histograms ({@code jcmd
 * GC.class_histogram}, which collects first) around N more connections. Fails when a change adds
 * more than the budget per connection; prints the biggest classes either way.
 */
@Timeout(120)
class IdleFootprintIT {
    /**
     * Heap retained per idle connection: measured 5.6 KB on Java 17's default collector, which
     * compresses references, since small rooms, a session's room set and a user's session list are
     * immutable arrays and sets and the answer window's tables are made on first use (6.2 KB before
     * that; 11.7 KB on the API layer, which kept the upgrade's HTTP request and response
     * reachable); see benchmarks/README.md. The budget leaves room for noise only.
     */
    static final long BUDGET_BYTES = 6_200;
    /** Objects retained per idle connection, measured 169 (177 before, 326 on the API layer). */
    static final long BUDGET_OBJECTS = 185;

    /**
     * Heap allocated per connect by the node's threads, from the handshake to the welcome, with
     * this test's client: measured 21.4 KB on Java 17 (31 KB from Node's {@code ws}, which offers
     * compression and sends its token in the query; about 5 KB of either is ours: the token check,
     * the session, its welcome and resume token; the rest Jetty's HTTP parse and WebSocket
     * upgrade); see benchmarks/README.md. A connect storm's garbage is what it touches of the
     * heap, so this is guarded like what stays.
     */
    static final long BUDGET_ALLOCATED_BYTES = 24_000;

    private static final int WARM = 50;
    private static final int N = 400;
    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    record Row(long instances, long bytes) {}

    @Test
    void anIdleSessionHoldsNoMoreHeapThanItsBudget() throws Exception {
        try (NodeProcess node = startNode("fp")) {
            List<TestClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < WARM; i++) { // classes loaded, pools and caches filled
                    clients.add(TestClient.connect(node.playUri(), TestNode.token("warm" + i)));
                }
                Map<String, Row> before = histogram(node.pid());
                for (int i = 0; i < N; i++) {
                    clients.add(TestClient.connect(node.playUri(), TestNode.token("idle" + i)));
                }
                Map<String, Row> after = histogram(node.pid());
                long bytes = 0;
                long objects = 0;
                List<Map.Entry<String, Long>> top = new ArrayList<>();
                for (var e : after.entrySet()) {
                    Row b = before.getOrDefault(e.getKey(), new Row(0, 0));
                    long db = e.getValue().bytes() - b.bytes();
                    bytes += db;
                    objects += e.getValue().instances() - b.instances();
                    top.add(Map.entry(e.getKey(), db));
                }
                top.sort(Map.Entry.<String, Long>comparingByValue().reversed());
                long perConn = bytes / N;
                long objectsPerConn = objects / N;
                StringBuilder report = new StringBuilder(String.format(
                        "idle connection: %,d B and %d objects retained (budget %,d B, %d objects); biggest:",
                        perConn, objectsPerConn, BUDGET_BYTES, BUDGET_OBJECTS));
                for (var e : top.subList(0, Math.min(12, top.size()))) {
                    report.append(String.format("%n  %7.1f B  %s", e.getValue() / (double) N, e.getKey()));
                }
                System.out.println(report);
                assertTrue(perConn <= BUDGET_BYTES, report::toString);
                assertTrue(objectsPerConn <= BUDGET_OBJECTS, report::toString);
            } finally {
                for (TestClient c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aConnectAllocatesNoMoreThanItsBudget() throws Exception {
        try (NodeProcess node = startNode("fa")) {
            List<TestClient> clients = new ArrayList<>();
            Path recording = Files.createTempFile("connects", ".jfr");
            try {
                for (int i = 0; i < 300; i++) { // classes loaded, pools filled, the path compiled at least once
                    clients.add(TestClient.connect(node.playUri(), TestNode.token("warm" + i)));
                }
                jcmd(node.pid(), "JFR.start", "name=connects", "settings=profile");
                for (int i = 0; i < N; i++) {
                    clients.add(TestClient.connect(node.playUri(), TestNode.token("counted" + i)));
                }
                jcmd(node.pid(), "JFR.dump", "name=connects", "filename=" + recording);
                long allocated = allocatedByThreads(recording);
                long perConnect = allocated / N;
                String report = String.format(
                        "a connect allocates %,d B on the node's threads (budget %,d B; %,d B over %d connects)",
                        perConnect, BUDGET_ALLOCATED_BYTES, allocated, N);
                System.out.println(report);
                assertTrue(perConnect <= BUDGET_ALLOCATED_BYTES, report);
                assertTrue(perConnect > 1_000, "implausibly little, the measure is broken: " + report);
            } finally {
                Files.deleteIfExists(recording);
                for (TestClient c : clients) {
                    c.close();
                }
            }
        }
    }

    private static final Pattern ALLOCATED = Pattern.compile("\"allocated\"\\s*:\\s*(\\d+)");
    private static final Pattern THREAD =
            Pattern.compile("\"javaName\"\\s*:\\s*\"([^\"]*)\"\\s*,\\s*\"javaThreadId\"\\s*:\\s*(\\d+)");

    /**
     * What the node's threads allocated during the recording: for each thread, its count in the
     * last {@code jdk.ThreadAllocationStatistics} event less its count in the first (JFR emits
     * one per thread when the recording starts and when it is dumped), threads told apart by id.
     * The attach listener (the jcmd calls themselves) is left out; a thread that ended during the
     * recording is not counted (the node's pools keep theirs while connects come in).
     */
    static long allocatedByThreads(Path recording) throws Exception {
        String out =
                jdkTool("jfr", "print", "--json", "--events", "jdk.ThreadAllocationStatistics", recording.toString());
        Map<String, long[]> firstAndLast = new HashMap<>();
        // one event per "type": block; within it the count comes before the thread's name
        for (String event : out.split("\"type\"\\s*:")) {
            Matcher a = ALLOCATED.matcher(event);
            Matcher t = THREAD.matcher(event);
            if (a.find() && t.find(a.end()) && !t.group(1).equals("Attach Listener")) {
                long v = Long.parseLong(a.group(1));
                firstAndLast.computeIfAbsent(t.group(2), k -> new long[] {v, v})[1] = v;
            }
        }
        if (firstAndLast.isEmpty()) {
            throw new AssertionError("no thread allocation statistics in the recording: " + out);
        }
        long sum = 0;
        for (long[] v : firstAndLast.values()) {
            sum += v[1] - v[0];
        }
        return sum;
    }

    static void jcmd(long pid, String... command) throws Exception {
        List<String> args = new ArrayList<>(List.of(Long.toString(pid)));
        args.addAll(List.of(command));
        jdkTool("jcmd", args.toArray(String[]::new));
    }

    /** Runs one of the JDK's tools (jcmd, jfr) and returns what it printed; fails when it fails. */
    static String jdkTool(String tool, String... args) throws Exception {
        Path bin = Path.of(System.getProperty("java.home"), "bin", tool);
        if (!Files.isExecutable(bin)) {
            throw new AssertionError(tool + " is missing from " + bin.getParent()
                    + ": run the tests on a full JDK (apt-get install -y openjdk-17-jdk-headless)");
        }
        List<String> command = new ArrayList<>(List.of(bin.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** A node process that takes any number of connections from this one address. */
    private static NodeProcess startNode(String prefix) throws Exception {
        return NodeProcess.start(
                "",
                prefix,
                "--max-connections-per-ip",
                "100000",
                "--handshakes-per-second-per-ip",
                "100000",
                "--handshake-burst-per-ip",
                "100000");
    }

    /** Class → (instances, bytes) of the live heap of {@code pid}, after the full GC jcmd runs. */
    static Map<String, Row> histogram(long pid) throws Exception {
        String out = jdkTool("jcmd", Long.toString(pid), "GC.class_histogram");
        Map<String, Row> rows = new HashMap<>();
        for (String line : out.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.merge(
                        m.group(3),
                        new Row(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))),
                        (a, b) -> new Row(a.instances() + b.instances(), a.bytes() + b.bytes()));
            }
        }
        if (rows.isEmpty()) {
            throw new AssertionError("no histogram from jcmd: " + out);
        }
        return rows;
    }
}
