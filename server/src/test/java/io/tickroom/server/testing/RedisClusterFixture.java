package io.tickroom.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A real Redis Cluster the test starts itself: six {@code redis-server --cluster-enabled yes} on
 * free ports (each port's cluster bus port, +10000, free too), joined with {@code redis-cli
 * --cluster create ... --cluster-replicas 1 --cluster-yes} into three masters with a replica
 * each, no persistence, a short {@code cluster-node-timeout} so a killed master fails over in
 * seconds, and {@code cluster-require-full-coverage no} so the other shards serve meanwhile (as
 * the README recommends). Fails, never skips, when redis-server or redis-cli is missing.
 *
 * <p>{@link #shared()} is one cluster for every test class of the run that only needs a cluster
 * (each works in a key prefix of its own); a test that kills nodes starts its own.
 */
public final class RedisClusterFixture implements AutoCloseable {
    private static RedisClusterFixture shared;

    private final long nodeTimeoutMs;
    private final Path dir;
    private final Map<Integer, Process> processes = new LinkedHashMap<>();

    private RedisClusterFixture(long nodeTimeoutMs) throws IOException {
        this.nodeTimeoutMs = nodeTimeoutMs;
        this.dir = Files.createTempDirectory("tickroom-redis-cluster");
    }

    /** The run's shared cluster (started on first use, stopped when the test JVM exits). */
    public static synchronized RedisClusterFixture shared() throws Exception {
        if (shared == null) {
            shared = start(2_000);
            RedisClusterFixture s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::stopAll, "redis-cluster-reaper"));
        }
        return shared;
    }

    /** A cluster of its own, failing a master over after {@code nodeTimeoutMs} of silence. */
    public static RedisClusterFixture start(long nodeTimeoutMs) throws Exception {
        String server = RedisServer.binary();
        String cli = cli();
        RedisClusterFixture c = new RedisClusterFixture(nodeTimeoutMs);
        try {
            for (int i = 0; i < 6; i++) {
                c.launchOnAFreePort(server);
            }
            List<String> cmd = new ArrayList<>(List.of(cli, "--cluster", "create"));
            c.processes.keySet().forEach(p -> cmd.add("127.0.0.1:" + p));
            cmd.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
            Process create = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(c.dir.resolve("create.log").toFile())
                    .start();
            if (!create.waitFor(60, TimeUnit.SECONDS) || create.exitValue() != 0) {
                throw new AssertionError(
                        "redis-cli --cluster create failed: " + Files.readString(c.dir.resolve("create.log")));
            }
            c.awaitHealthy(Duration.ofSeconds(30));
            return c;
        } catch (Exception | AssertionError e) {
            c.stopAll();
            throw e;
        }
    }

    static String cli() {
        for (String candidate : new String[] {"/usr/bin/redis-cli", "/usr/local/bin/redis-cli"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        throw new AssertionError(
                "redis-cli is not installed; the Redis Cluster tests need it (with redis-server). "
                        + "Install it (Debian/Ubuntu: apt-get install -y redis-server redis-tools; macOS: brew install redis) and rerun.");
    }

    /** {@code n} ports each free together with its cluster bus port (+10000). */
    private static List<Integer> freePorts(int n) {
        List<Integer> out = new ArrayList<>();
        while (out.size() < n) {
            int p = ThreadLocalRandom.current().nextInt(20_000, 55_000);
            if (!out.contains(p) && free(p) && free(p + 10_000)) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Launches one more node on a port found free with its bus port. The range overlaps the
     * kernel's ephemeral ports, so a client socket can take a port between the check and the
     * node's bind: a node that fails to bind is launched again on another port (up to 5 times).
     */
    private void launchOnAFreePort(String server) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port = freePorts(1).get(0);
            if (processes.containsKey(port)) {
                continue;
            }
            try {
                launch(server, port);
                return;
            } catch (AssertionError e) {
                Process p = processes.remove(port);
                if (p != null) {
                    p.destroyForcibly();
                }
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    private void launch(String server, int port) throws Exception {
        Path d = Files.createDirectories(dir.resolve(Integer.toString(port)));
        Process p = new ProcessBuilder(
                        server,
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        d.resolve("nodes.conf").toString(),
                        "--cluster-node-timeout",
                        Long.toString(nodeTimeoutMs),
                        "--cluster-require-full-coverage",
                        "no",
                        // a replica that has not finished its first sync cannot take over: sync at once
                        "--repl-diskless-sync-delay",
                        "0",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        d.toString(),
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(d.resolve("redis.log").toFile())
                .start();
        processes.put(port, p);
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "redis-server-reaper"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !p.isAlive()) {
                    throw new AssertionError(
                            "redis-server did not start on port " + port + ": "
                                    + Files.readString(d.resolve("redis.log")),
                            e);
                }
            }
            pause();
        }
    }

    private synchronized void pause() throws InterruptedException {
        wait(20);
    }

    /** Waits until every live node says cluster_state:ok and they agree on three masters covering every slot. */
    public void awaitHealthy(Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = health();
            if (last.isEmpty()) {
                return;
            }
            pause();
        }
        throw new AssertionError("Redis Cluster not healthy within " + within + ": " + last);
    }

    /** "" when healthy (every replica in sync with its master too), else what is not. */
    private String health() {
        Set<Map<Integer, Integer>> views = new HashSet<>();
        for (int port : livePorts()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if (!j.clusterInfo().contains("cluster_state:ok")) {
                    return port + " not ok";
                }
                String replication = j.info("replication");
                if (replication.contains("role:slave") && !replication.contains("master_link_status:up")) {
                    return port + " (a replica) not in sync with its master yet";
                }
                Map<Integer, Integer> owners = new LinkedHashMap<>();
                for (int slot = 0; slot < 16_384; slot += 1_024) {
                    owners.put(slot, -1);
                }
                int masters = 0;
                for (ClusterShardInfo s : j.clusterShards()) {
                    Integer m = masterPort(s);
                    if (m == null || !s.getSlots().isEmpty() && !livePorts().contains(m)) {
                        return port + " sees a shard without a live master";
                    }
                    if (!s.getSlots().isEmpty()) {
                        masters++;
                    }
                    for (List<Long> r : s.getSlots()) {
                        owners.replaceAll((slot, o) -> slot >= r.get(0) && slot <= r.get(1) ? m : o);
                    }
                }
                if (masters != 3 || owners.containsValue(-1)) {
                    return port + " sees " + masters + " masters, owners " + owners;
                }
                views.add(owners);
            } catch (RuntimeException e) {
                return port + ": " + e;
            }
        }
        return views.size() == 1 ? "" : "nodes disagree: " + views;
    }

    private static Integer masterPort(ClusterShardInfo s) {
        for (ClusterShardNodeInfo n : s.getNodes()) {
            if ("master".equals(n.getRole()) && "online".equals(n.getHealth())) {
                return n.getPort().intValue();
            }
        }
        return null;
    }

    private List<Integer> livePorts() {
        return processes.entrySet().stream()
                .filter(e -> e.getValue().isAlive())
                .map(Map.Entry::getKey)
                .toList();
    }

    /** The port of the master that owns {@code key}'s slot now. */
    public int masterOf(String key) {
        int slot = JedisClusterCRC16.getSlot(key);
        for (int port : livePorts()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                for (ClusterShardInfo s : j.clusterShards()) {
                    for (List<Long> r : s.getSlots()) {
                        if (slot >= r.get(0) && slot <= r.get(1)) {
                            Integer m = masterPort(s);
                            if (m != null) {
                                return m;
                            }
                        }
                    }
                }
            } catch (RuntimeException e) {
                // ask the next
            }
        }
        throw new AssertionError("no live master owns slot " + slot);
    }

    /** The ports of the live masters now. */
    public List<Integer> masters() {
        for (int port : livePorts()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                return j.clusterShards().stream()
                        .filter(s -> !s.getSlots().isEmpty())
                        .map(RedisClusterFixture::masterPort)
                        .filter(p -> p != null)
                        .sorted()
                        .toList();
            } catch (RuntimeException e) {
                // ask the next
            }
        }
        throw new AssertionError("no live node");
    }

    /** Kills one node at once (SIGKILL): a crash. */
    public void kill(int port) throws InterruptedException {
        Process p = processes.get(port);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
    }

    /** {@code INFO commandstats} of one node, parsed: command name to calls. */
    public Map<String, Long> commandStats(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Map<String, Long> out = new LinkedHashMap<>();
            for (String line : j.info("commandstats").split("\r?\n")) {
                if (line.startsWith("cmdstat_")) {
                    String name = line.substring(8, line.indexOf(':'));
                    String calls = line.substring(line.indexOf("calls=") + 6);
                    out.put(name, Long.parseLong(calls.substring(0, calls.indexOf(','))));
                }
            }
            return out;
        }
    }

    /** {@code INFO stats} total_net_input_bytes + total_net_output_bytes of one node. */
    public long netBytes(int port) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            long total = 0;
            for (String line : j.info("stats").split("\r?\n")) {
                if (line.startsWith("total_net_input_bytes:") || line.startsWith("total_net_output_bytes:")) {
                    total +=
                            Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
                }
            }
            return total;
        }
    }

    /** Every key matching {@code pattern}, from every master. */
    public Set<String> keys(String pattern) {
        Set<String> out = new HashSet<>();
        for (int port : masters()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                out.addAll(j.keys(pattern));
            }
        }
        return out;
    }

    /** Every master loses everything (as after a restart of the whole cluster with no persistence). */
    public void flushAll() {
        for (int port : masters()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.flushAll();
            }
        }
    }

    /** A cluster client on it (the caller closes it). */
    public UnifiedJedis client() {
        return RedisClusterClient.create(processes.keySet().stream()
                .map(p -> new HostAndPort("127.0.0.1", p))
                .collect(Collectors.toSet()));
    }

    /** {@code redis-cluster://} with every node as a seed. */
    public String uri() {
        return "redis-cluster://"
                + processes.keySet().stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public long nodeTimeoutMs() {
        return nodeTimeoutMs;
    }

    private void stopAll() {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }

    /** Stops a cluster of its own; the shared one stops with the JVM. */
    @Override
    public void close() {
        if (this != shared) {
            stopAll();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
