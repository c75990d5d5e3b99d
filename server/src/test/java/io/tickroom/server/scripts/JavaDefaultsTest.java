package io.tickroom.server.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/lib/java.sh}, which every start script sources: the collector follows the CPUs the
 * node may use (its affinity, lowered by a cgroup CPU quota), the options it picks start this JVM,
 * and an operator's {@code JAVA_OPTS} wins. The affinity is set for real with {@code taskset}; the
 * quotas are read from cgroup files written here, in v2's and v1's formats.
 */
@Timeout(60)
class JavaDefaultsTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    /** Runs {@code script} in bash with java.sh sourced, under {@code taskset -c cpus}; its stdout. */
    static String sourced(String cpus, Map<String, String> env, String script) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus, "bash", "-c"));
        cmd.add("set -euo pipefail; source scripts/lib/java.sh; " + script);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        pb.environment().remove("JAVA_OPTS");
        pb.environment().put("JAVA", JAVA);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError("needs taskset (apt-get install -y util-linux): " + e.getMessage(), e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not finish");
        assertEquals(0, p.exitValue(), "exit status; stderr: " + err);
        return out;
    }

    static String defaults(String cpus, Map<String, String> env) throws Exception {
        return sourced(cpus, env, "tickroom_java; echo \"$JAVA_OPTS\"");
    }

    /** java.sh's view of a cgroup tree under {@code dir}, this process in it as {@code procLine} says. */
    static Map<String, String> cgroups(Path dir, String procLine) throws IOException {
        Path proc = Files.writeString(dir.resolve("proc-cgroup"), procLine + "\n");
        return Map.of("TICKROOM_CGROUP_ROOT", dir.toString(), "TICKROOM_PROC_CGROUP", proc.toString());
    }

    /** A cgroup tree with no quota at all, so only the affinity counts. */
    static Map<String, String> noQuota(Path dir) throws IOException {
        return cgroups(dir, "0::/");
    }

    static boolean twoCpus() throws Exception {
        return Runtime.getRuntime().availableProcessors() >= 2;
    }

    @Test
    void oneCpuGetsTheParallelCollectorWithAFixedYoungGeneration(@TempDir Path dir) throws Exception {
        String opts = defaults("0", noQuota(dir));
        assertTrue(opts.contains("-XX:+UseParallelGC"), opts);
        assertTrue(opts.contains("-Xmn32m") && opts.contains("-XX:-UseAdaptiveSizePolicy"), opts);
        assertEquals("1", sourced("0", noQuota(dir), "tickroom_cpus"));
    }

    @Test
    void twoCpusGetZgc(@TempDir Path dir) throws Exception {
        assertTrue(twoCpus(), "this test needs a machine with two CPUs or more (the project's CI machine has 2)");
        String opts = defaults("0,1", noQuota(dir));
        assertTrue(opts.startsWith("-XX:+UseZGC"), opts);
        assertEquals("2", sourced("0,1", noQuota(dir), "tickroom_cpus"));
    }

    @Test
    void aCgroupV2QuotaLowersTheCountRoundingUp(@TempDir Path dir) throws Exception {
        assertTrue(twoCpus(), "this test needs a machine with two CPUs or more (the project's CI machine has 2)");
        Map<String, String> env = cgroups(dir, "0::/pod/node");
        Path group = Files.createDirectories(dir.resolve("pod/node"));
        Files.writeString(group.resolve("cpu.max"), "50000 100000\n"); // half a CPU: one
        assertEquals("1", sourced("0,1", env, "tickroom_cpus"));
        assertTrue(defaults("0,1", env).contains("-XX:+UseParallelGC"));
        Files.writeString(group.resolve("cpu.max"), "150000 100000\n"); // 1.5 CPUs: two
        assertEquals("2", sourced("0,1", env, "tickroom_cpus"));
        Files.writeString(group.resolve("cpu.max"), "max 100000\n");
        assertEquals("2", sourced("0,1", env, "tickroom_cpus"));
        Files.writeString(group.resolve("cpu.max"), "400000 100000\n"); // a quota above the affinity
        assertEquals("2", sourced("0,1", env, "tickroom_cpus"));
    }

    @Test
    void aCgroupV1QuotaLowersTheCount(@TempDir Path dir) throws Exception {
        assertTrue(twoCpus(), "this test needs a machine with two CPUs or more (the project's CI machine has 2)");
        Map<String, String> env = cgroups(dir, "1:cpu:/");
        Path cpu = Files.createDirectories(dir.resolve("cpu"));
        Files.writeString(cpu.resolve("cpu.cfs_period_us"), "100000\n");
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "100000\n");
        assertEquals("1", sourced("0,1", env, "tickroom_cpus"));
        Files.writeString(cpu.resolve("cpu.cfs_quota_us"), "-1\n");
        assertEquals("2", sourced("0,1", env, "tickroom_cpus"));
    }

    @Test
    void theOptionsItPicksStartThisJvm(@TempDir Path dir) throws Exception {
        for (String cpus : twoCpus() ? List.of("0", "0,1") : List.of("0")) {
            String out = sourced(
                    cpus,
                    noQuota(dir),
                    "tickroom_java; \"$JAVA\" $JAVA_OPTS -XX:+PrintCommandLineFlags -version 2>&1 | head -1");
            assertTrue(out.contains(cpus.equals("0") ? "-XX:+UseParallelGC" : "-XX:+UseZGC"), cpus + ": " + out);
        }
    }

    @Test
    void asRootOnOneCpuTheTickThreadComesBeforeTheJit(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(noQuota(dir));
        env.put("TICKROOM_EUID", "0");
        String opts = defaults("0", env);
        assertTrue(opts.contains("-XX:ThreadPriorityPolicy=1 -XX:CompilerThreadPriority=0"), opts);
        env.put("TICKROOM_EUID", "1000");
        assertFalse(defaults("0", env).contains("ThreadPriorityPolicy"), "no JVM warning for other users");
        assertFalse(defaults("0,1", noQuota(dir)).contains("ThreadPriorityPolicy"), "two CPUs: unchanged");
    }

    @Test
    void theKernelSeesThosePriorities(@TempDir Path dir) throws Exception {
        boolean root = "0".equals(sourced("0", noQuota(dir), "id -u"));
        Map<String, String> env = new HashMap<>(noQuota(dir));
        env.put("PROBE_CP", System.getProperty("java.class.path"));
        String out = sourced(
                "0", env, "tickroom_java; \"$JAVA\" $JAVA_OPTS -cp \"$PROBE_CP\" " + ThreadNiceProbe.class.getName());
        Map<String, String> nice = new HashMap<>(); // thread name -> nice value, as the kernel has it
        for (String line : out.split("\n")) {
            String[] kv = line.split("=");
            nice.put(kv[0].startsWith("C2") ? "C2" : kv[0], kv[1]);
        }
        assertEquals("0", nice.get("C2"), out); // not -4, where ThreadPriorityPolicy=1 alone puts it
        assertEquals(root ? "-5" : "0", nice.get("tickroom-tick-0"), out);
    }

    @Test
    void anOperatorsJavaOptsWin(@TempDir Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(noQuota(dir));
        env.put("JAVA_OPTS", "-XX:+UseSerialGC -Xmx64m");
        assertEquals("-XX:+UseSerialGC -Xmx64m", defaults("0", env));
    }
}
