package io.tickroom.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The admin CLI against three nodes on one real redis-server: one URL reaches the whole cluster. */
@Timeout(120)
class AdminCliClusterIT {
    RedisServer redis;
    final List<TestNode> nodes = new ArrayList<>();
    final Players players = new Players();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 1; i <= 3; i++) {
            String id = "node-" + i;
            nodes.add(
                    TestNode.start(c -> c.withNodeId(id).withCluster(ClusterConfig.redis(redis.uri(), "admin-cli:"))));
        }
        // every node answers cluster calls only once the others see it registered
        TestNode.awaitCount(
                () -> nodes.stream().allMatch(n -> n.node().liveNodes().size() == 3), "three live nodes");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            players.close();
            for (TestNode n : nodes) {
                n.awaitZeroCounts();
            }
        } finally {
            for (TestNode n : nodes) {
                n.close();
            }
            redis.close();
        }
    }

    AdminCliIT.Run admin(String... args) {
        List<String> all = new ArrayList<>(
                List.of("--url", "ws://127.0.0.1:" + nodes.get(0).port()));
        all.addAll(List.of(args));
        return AdminCliIT.cli(Map.of("TICKROOM_JWT_SECRET", TestNode.SECRET), all.toArray(String[]::new));
    }

    @Test
    void sessionsThroughOneNodeListsTheSessionsOfAllThree() throws Exception {
        TestClient alice = players.connect(nodes.get(0), "alice");
        TestClient bob = players.connect(nodes.get(1), "bob");
        TestClient carol = players.connect(nodes.get(2), "carol");

        AdminCliIT.Run table = admin("sessions");
        assertEquals(0, table.status(), table.err());
        List<String> lines = table.out().lines().toList();
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l -> l.startsWith("node-1 ") && l.contains(" alice ") && l.contains(alice.sessionId())),
                table.out());
        assertTrue(
                lines.stream()
                        .anyMatch(l -> l.startsWith("node-2 ") && l.contains(" bob ") && l.contains(bob.sessionId())),
                table.out());
        assertTrue(
                lines.stream()
                        .anyMatch(
                                l -> l.startsWith("node-3 ") && l.contains(" carol ") && l.contains(carol.sessionId())),
                table.out());
        String summary = lines.get(lines.size() - 1);
        assertTrue(summary.startsWith("4 sessions; nodes answered: "), summary);
        for (String n : List.of("node-1", "node-2", "node-3")) {
            assertTrue(summary.contains(n), summary);
        }
        assertTrue(summary.endsWith("; no answer from: none"), summary);

        Map<String, Object> json = admin("--json", "nodes").json();
        assertEquals(
                List.of(
                        Map.of("node_id", "node-1", "answered", true, "play_sessions", 1, "admin_sessions", 1),
                        Map.of("node_id", "node-2", "answered", true, "play_sessions", 1, "admin_sessions", 0),
                        Map.of("node_id", "node-3", "answered", true, "play_sessions", 1, "admin_sessions", 0)),
                json.get("nodes"));
    }

    @Test
    void kickReachesTheUsersSessionsOnOtherNodesAndDrainMovesANodesPlayersAway() throws Exception {
        TestClient onTwo = players.connect(nodes.get(1), "mallory");
        TestClient onThree = players.connect(nodes.get(2), "mallory");
        TestClient dave = players.connect(nodes.get(2), "dave");

        AdminCliIT.Run kick = admin("kick", "mallory");
        assertEquals(0, kick.status(), kick.err());
        assertTrue(kick.out().startsWith("sessions closed: 2;"), kick.out());
        assertEquals(CloseCodes.KICKED, onTwo.awaitClose().code());
        assertEquals(CloseCodes.KICKED, onThree.awaitClose().code());

        AdminCliIT.Run drain = admin("drain", "node-3");
        assertEquals(0, drain.status(), drain.err());
        assertTrue(drain.out().startsWith("nodes draining: 1;"), drain.out());
        ServerFrame goodbye = dave.awaitPush(ServerFrame::hasGoodbye);
        assertTrue(
                goodbye.getGoodbye()
                                .getReconnectUrl()
                                .contains(":" + nodes.get(0).port())
                        || goodbye.getGoodbye()
                                .getReconnectUrl()
                                .contains(":" + nodes.get(1).port()),
                goodbye.toString());
        assertEquals(CloseCodes.GOING_AWAY, dave.awaitClose().code());
    }
}
