package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.cluster.NodeRegistryContract;
import io.tickroom.server.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/** The node registry contract on a real redis-server; plus the clean-up after a dead node. */
@Timeout(60)
class RedisNodeRegistryIT extends NodeRegistryContract {
    static RedisFixture redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected Cluster newCluster(String nodeId) {
        return redis.cluster(RedisFixture.newPrefix(), nodeId);
    }

    @Override
    protected void loseStoredState() {
        redis.flush();
    }

    /** What a survivor was told: who told, which node died, whom it held, whether it stopped on purpose. */
    record Death(String observer, String node, List<String> users, boolean stopped) {}

    private final List<Death> told = new CopyOnWriteArrayList<>();

    private NodeRegistry survivor(Cluster c, String id) {
        NodeRegistry n = c.nodes();
        n.start(
                () -> new NodeRegistry.NodeInfo(id, "ws://" + id, 0, 0),
                (dead, users, stopped) -> told.add(new Death(id, dead, List.copyOf(users), stopped)));
        return n;
    }

    @Test
    void aCrashedNodeIsCleanedUpOnceByOneSurvivorWithTheUsersItHeld() throws Exception {
        String prefix = RedisFixture.newPrefix();
        try (Cluster b = redis.cluster(prefix, "node-b");
                Cluster c = redis.cluster(prefix, "node-c")) {
            UnifiedJedis crashing = redis.newClient();
            RedisNodeRegistry a =
                    new RedisNodeRegistry(crashing, prefix, "node-a", RedisFixture.RENEW_MS, RedisFixture.NODE_TTL_MS);
            a.start(() -> new NodeRegistry.NodeInfo("node-a", "ws://node-a", 0, 0), (d, u, s) -> {});
            a.present("ann");
            NodeRegistry onB = survivor(b, "node-b");
            survivor(c, "node-c");
            Await.until(() -> onB.liveNodes().size() == 3, Duration.ofSeconds(10), onB.liveNodes()::toString);
            a.halt(); // node-a stops renewing, as a crashed node does
            crashing.close();
            Await.until(() -> !told.isEmpty(), Duration.ofSeconds(10), () -> "nobody cleaned up after node-a");
            Death d = told.get(0);
            assertEquals("node-a", d.node());
            assertEquals(List.of("ann"), d.users());
            assertFalse(d.stopped(), "it crashed");
            assertFalse(
                    redis.jedis.sismember(new Keys(prefix).nodes(), "node-a"),
                    "claimed: no other survivor can clean up again");
            assertFalse(onB.onlineAnywhere("ann"), "the dead node's users are nowhere now");
            assertEquals(1, told.size(), told.toString());
            a.close();
        }
    }

    @Test
    void aNodeThatStoppedCleanlyIsReportedAsStopped() throws Exception {
        String prefix = RedisFixture.newPrefix();
        try (Cluster b = redis.cluster(prefix, "node-b")) {
            Cluster a = redis.cluster(prefix, "node-a");
            a.start(() -> new NodeRegistry.NodeInfo("node-a", "ws://node-a", 0, 0), (d, u, s) -> {});
            a.nodes().present("ann");
            NodeRegistry onB = survivor(b, "node-b");
            Await.until(() -> onB.liveNodes().size() == 2, Duration.ofSeconds(10), onB.liveNodes()::toString);
            a.close();
            assertEquals(
                    List.of("node-b"),
                    onB.liveNodes().stream().map(NodeRegistry.NodeInfo::nodeId).toList(),
                    "gone from the listing at once");
            Await.until(() -> !told.isEmpty(), Duration.ofSeconds(10), () -> "nobody took over from node-a");
            assertEquals(new Death("node-b", "node-a", List.of("ann"), true), told.get(0));
            assertTrue(onB.spansNodes());
        }
    }
}
