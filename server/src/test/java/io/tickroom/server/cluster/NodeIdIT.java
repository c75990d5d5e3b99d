package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.NodeProcess;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Nodes as operators start them: one id per live node, unique by default. */
@Timeout(120)
class NodeIdIT {
    static final String PREFIX = "ids:";
    RedisServer redis;
    final List<NodeProcess> processes = new ArrayList<>();
    final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (TestClient c : clients) {
                c.close();
            }
            for (NodeProcess p : processes) {
                p.close();
            }
        } finally {
            redis.close();
        }
    }

    NodeProcess launch(String... flags) throws Exception {
        NodeProcess p = NodeProcess.start(redis.uri(), PREFIX, flags);
        processes.add(p);
        return p;
    }

    TestClient connect(NodeProcess node, String user) throws Exception {
        TestClient c = node.connect(user);
        clients.add(c);
        return c;
    }

    @Test
    void aSecondNodeStartedWithAnIdAnotherLiveNodeHoldsRefusesToStartNamingTheFlag() throws Exception {
        try (TestNode first =
                TestNode.start(c -> c.withNodeId("twin").withCluster(ClusterConfig.redis(redis.uri(), PREFIX)))) {
            NodeProcess.Exit refused = NodeProcess.startExpectingExit(redis.uri(), PREFIX, "--node-id", "twin");
            assertEquals(2, refused.status(), String.join("\n", refused.output()));
            assertTrue(
                    refused.output()
                            .contains("tickroom: node id \"twin\" is held by another live node; "
                                    + "give each node its own --node-id (or TICKROOM_NODE_ID)"),
                    String.join("\n", refused.output()));
            assertThrows(
                    NodeIdHeldException.class,
                    () -> TestNode.start(
                            c -> c.withNodeId("twin").withCluster(ClusterConfig.redis(redis.uri(), PREFIX))),
                    "in-process too");
            assertEquals(List.of("twin"), first.node().liveNodes(), "the live node kept its registration");
            TestClient alice = first.connect("alice");
            assertTrue(alice.request(Req.create("still serving", 4, false)).hasLobbyState());
            alice.close();
        }
    }

    @Test
    void threeNodesStartedWithOnlyRedisGetTheirOwnIdsAndAKilledOnesMembersLeaveWithinTheTtl() throws Exception {
        NodeProcess one = launch();
        NodeProcess two = launch();
        NodeProcess three = launch();
        Set<String> ids = processes.stream().map(NodeProcess::nodeId).collect(Collectors.toSet());
        assertEquals(3, ids.size(), "three distinct default ids: " + ids);

        TestClient alice = connect(one, "alice");
        TestClient bob = connect(two, "bob");
        TestClient carol = connect(three, "carol");
        String id = alice.request(Req.create("default ids", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(carol.request(Req.join(id)).hasLobbyState());
        alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 3);

        long killedAt = System.nanoTime();
        two.kill(); // SIGKILL: no goodbye, no clean-up
        ServerFrame after =
                alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals(
                List.of("alice", "carol"),
                after.getLobbyState().getMembersList().stream()
                        .map(m -> m.getUserId())
                        .toList(),
                "bob's node was declared dead and bob left");
        assertTrue(tookMs <= 5_000 + 2_000, "within the TTL (5 s) + 2 s, took " + tookMs + " ms");
        assertTrue(carol.request(Req.chat(id, "still two of us")).hasOk());
    }
}
