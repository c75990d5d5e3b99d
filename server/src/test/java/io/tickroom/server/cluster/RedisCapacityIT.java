package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.RedisClusterFixture;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * The measured side of the Redis capacity model (benchmarks/README.md, "Redis capacity model"):
 * on a real Redis Cluster with two nodes, each player activity is run N times and counted with
 * {@code INFO commandstats} and {@code INFO stats} on every master ({@code CONFIG RESETSTAT}
 * before each): Redis commands (every command Redis executed, those inside Lua scripts included),
 * scripts (EVAL) and client bytes (in + out, replication excluded) per activity, and how they
 * spread over the three masters. The nodes' background (registration renewals, dead-node checks,
 * matchmaker lease sweeps) is measured first with no players and subtracted. Writes the table to
 * {@code server/target/capacity/activities.md}.
 */
@Timeout(300)
class RedisCapacityIT {
    private static final Logger log = LoggerFactory.getLogger(RedisCapacityIT.class);
    private static final Set<String> IGNORED = Set.of(
            "info",
            "config|resetstat",
            "cluster|shards",
            "cluster|slots",
            "cluster|info",
            "ping",
            "hello",
            "client|setinfo",
            "command",
            "command|docs",
            "cluster|nodes",
            "keys");

    RedisClusterFixture redis;
    final List<TestNode> nodes = new ArrayList<>();
    final Players players = new Players();

    @AfterEach
    void stop() throws Exception {
        try {
            players.close();
        } finally {
            for (TestNode n : nodes) {
                n.close();
            }
            if (redis != null) {
                redis.close();
            }
        }
    }

    /** Commands, scripts and bytes over every master since the last reset, and the per-master split of commands. */
    record Count(long commands, long scripts, long bytes, List<Long> perMaster) {
        Count minus(Count background, double factor) {
            return new Count(
                    Math.max(0, commands - Math.round(background.commands * factor)),
                    Math.max(0, scripts - Math.round(background.scripts * factor)),
                    Math.max(0, bytes - Math.round(background.bytes * factor)),
                    perMaster);
        }
    }

    void reset() {
        for (int port : redis.masters()) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                j.configResetStat();
            }
        }
    }

    Count count() {
        long commands = 0;
        long scripts = 0;
        long bytes = 0;
        List<Long> per = new ArrayList<>();
        for (int port : redis.masters()) {
            long mine = 0;
            for (Map.Entry<String, Long> e : redis.commandStats(port).entrySet()) {
                if (IGNORED.contains(e.getKey())) {
                    continue;
                }
                mine += e.getValue();
                if (e.getKey().equals("eval") || e.getKey().equals("evalsha")) {
                    scripts += e.getValue();
                }
            }
            commands += mine;
            per.add(mine);
            bytes += redis.netBytes(port);
        }
        return new Count(commands, scripts, bytes, per);
    }

    interface Activity {
        void run() throws Exception;
    }

    final Map<String, String> rows = new LinkedHashMap<>();
    Count background;
    double backgroundNodeSeconds;

    void measure(String name, int n, Activity a) throws Exception {
        reset();
        long t0 = System.nanoTime();
        a.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        Count raw = count();
        Count c = raw.minus(background, seconds * nodes.size() / backgroundNodeSeconds);
        String row = String.format(
                "| %s | %d | %.1f | %.1f | %.0f | %s |",
                name, n, c.commands / (double) n, c.scripts / (double) n, c.bytes / (double) n, raw.perMaster);
        rows.put(name, row);
        log.warn("capacity: {}", row);
    }

    @Test
    void countsRedisCommandsAndBytesPerPlayerActivity() throws Exception {
        redis = RedisClusterFixture.start(2_000);
        ClusterConfig config = ClusterConfig.redis(redis.uri(), "cap:");
        for (int i = 1; i <= 2; i++) {
            String id = "node-" + i;
            nodes.add(TestNode.start(c -> c.withNodeId(id).withCluster(config)));
        }
        TestNode a = nodes.get(0);
        TestNode b = nodes.get(1);
        // the background: two idle nodes for 5 s
        reset();
        long t0 = System.nanoTime();
        Thread.sleep(5_000); // a measurement window of fixed length, not a wait for an event
        backgroundNodeSeconds = (System.nanoTime() - t0) / 1e9 * nodes.size();
        background = count();
        String bg = String.format(
                "| node heartbeat (per node-second: renewal, dead-node check, matchmaker leases) | %.0f node-s | %.1f | %.1f | %.0f | %s |",
                backgroundNodeSeconds,
                background.commands / backgroundNodeSeconds,
                background.scripts / backgroundNodeSeconds,
                background.bytes / backgroundNodeSeconds,
                background.perMaster);
        log.warn("capacity: {}", bg);

        int n = 20;
        List<TestClient> hosts = new ArrayList<>();
        List<TestClient> guests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hosts.add(players.connect(a, "h" + i));
            guests.add(players.connect(b, "g" + i));
        }
        measure("connect (session open: presence, resume record)", n, () -> {
            for (int i = 0; i < n; i++) {
                players.connect(i % 2 == 0 ? a : b, "c" + i);
            }
        });
        List<String> ids = new ArrayList<>();
        measure("create lobby", n, () -> {
            for (TestClient h : hosts) {
                ids.add(h.request(Req.create("cap", 4, false)).getLobbyState().getLobbyId());
            }
        });
        measure("browse (one page, 20 lobbies)", n, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(guests.get(i).request(Req.list("arena")).hasLobbyList());
            }
        });
        measure("browse (an empty page)", n, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(guests.get(i).request(Req.list("arena-8")).hasLobbyList());
            }
        });
        measure("join lobby", n, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(guests.get(i).request(Req.join(ids.get(i))).hasLobbyState());
            }
        });
        measure("chat (2 members on 2 nodes)", 2 * n, () -> {
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < n; i++) {
                    ServerFrame f = hosts.get(i).request(Req.chat(ids.get(i), "hello " + round));
                    assertTrue(f.hasOk(), f::toString);
                }
            }
        });
        List<TestClient> late = new ArrayList<>();
        List<TestClient> fillers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            late.add(players.connect(b, "late" + i));
        }
        // fill the lobbies (4 seats: host, guest, two more), then one join each that is refused FULL
        for (int i = 0; i < n; i++) {
            for (TestNode on : List.of(a, b)) {
                TestClient f = players.connect(on, "fill" + fillers.size());
                assertTrue(f.request(Req.join(ids.get(i))).hasLobbyState());
                fillers.add(f);
            }
        }
        measure("join refused (FULL)", n, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(late.get(i).request(Req.join(ids.get(i))).hasError());
            }
        });
        measure("leave lobby (4 members on 2 nodes)", 2 * n, () -> {
            for (int i = 0; i < fillers.size(); i++) {
                assertTrue(fillers.get(i).request(Req.leave(ids.get(i / 2))).hasOk());
            }
        });
        measure("ready", 2 * n, () -> {
            for (int i = 0; i < n; i++) {
                assertTrue(hosts.get(i).request(Req.ready(ids.get(i), true)).hasOk());
                assertTrue(guests.get(i).request(Req.ready(ids.get(i), true)).hasOk());
            }
        });
        measure("start match (lobby of 2 to a match on the host's node)", n, () -> {
            for (int i = 0; i < n; i++) {
                ServerFrame f = hosts.get(i).request(Games.start(ids.get(i)));
                assertTrue(!f.hasError(), f::toString);
            }
            for (int i = 0; i < n; i++) {
                hosts.get(i).awaitPush(ServerFrame::hasMatchFound);
                guests.get(i).awaitPush(ServerFrame::hasMatchFound);
            }
        });
        List<TestClient> queued = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            queued.add(players.connect(i % 2 == 0 ? a : b, "q" + i));
        }
        measure("quick match (per player, 8-player mode, 2 nodes)", 16, () -> {
            for (TestClient q : queued) {
                assertTrue(q.request(Games.quick("arena-8")).hasQuickMatchQueued());
            }
            for (TestClient q : queued) {
                q.awaitPush(ServerFrame::hasMatchFound);
            }
        });
        List<TestClient> resumers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            resumers.add(players.connect(a, "r" + i));
        }
        measure("resume on another node (drop + resume)", 10, () -> {
            for (TestClient r : resumers) {
                String user = r.welcome().getWelcome().getUserId();
                String token = r.welcome().getWelcome().getResumeToken();
                var seen = r.lastSeqs();
                r.drop();
                TestNode.awaitCount(() -> a.node().sessions().sessionsOf(user).isEmpty(), user + " dropped");
                TestClient back =
                        players.add(TestClient.connectResuming(b.playUri(), TestNode.token(user), r.nextRequestId()));
                ServerFrame f = back.request(Req.resume(token, seen));
                assertTrue(f.hasResumed(), f::toString);
            }
        });

        StringBuilder md = new StringBuilder();
        md.append(
                "| activity | n | Redis commands each | of them scripts (EVAL) | client bytes each | commands per master (raw) |\n");
        md.append("|---|---|---|---|---|---|\n");
        md.append(bg).append('\n');
        rows.values().forEach(r -> md.append(r).append('\n'));
        Path out = Path.of("target", "capacity", "activities.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, md.toString());
        log.warn("capacity table:\n{}", md);
    }
}
