package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Redis restarting empty under a lobby whose members are on two nodes, many times over: whichever
 * node writes the lobby back first, every member still connected is a member again by the time
 * the lobby is listed.
 */
@Timeout(180)
class RedisRestartIT {
    /** Rounds of create, join, SIGKILL Redis, restart it empty; a single lost member fails the test. */
    static final int ROUNDS = Integer.getInteger("tickroom.restartRounds", 20);

    RedisServer redis;
    final List<TestNode> nodes = new ArrayList<>();
    final Players players = new Players();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        for (int i = 1; i <= 3; i++) {
            String id = "restart-" + i;
            // a round takes a fraction of a second: more chat than a player may send by default
            nodes.add(TestNode.start(c -> c.withNodeId(id)
                    .withCluster(ClusterConfig.redis(redis.uri(), "rr:"))
                    .withLimits(new LimitsConfig(1_000, 1_000, 1_000, 1_000, 1_000, 500, 5))));
        }
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

    @Test
    void everyConnectedMemberIsAMemberAgainOnceTheLobbyIsListedAfterEachRestart() throws Exception {
        TestClient alice = players.connect(nodes.get(0), "alice");
        TestClient bob = players.connect(nodes.get(1), "bob");
        LobbyDirectory onNode3 = nodes.get(2).node().directory();
        List<String> lost = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            String id = alice.request(Req.create("restart " + round, 4, false))
                    .getLobbyState()
                    .getLobbyId();
            assertTrue(bob.request(Req.join(id)).hasLobbyState(), "round " + round + ": bob joined");
            alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);

            alice.drainPushes();
            bob.drainPushes();
            restartRedis();
            Lobby listed = awaitListed(onNode3, id);

            // from the moment it is listed, both members are members
            List<String> problems = new ArrayList<>();
            if (!listed.members().stream().map(Member::userId).toList().equals(List.of("alice", "bob"))) {
                problems.add("listed with "
                        + listed.members().stream().map(Member::userId).toList());
            }
            for (TestClient c : List.of(alice, bob)) {
                String user = c.welcome().getWelcome().getUserId();
                ServerFrame f = c.request(Req.chat(id, user + " in round " + round));
                if (!f.hasOk()) {
                    problems.add(user + "'s send_chat answered " + f.getError().getCode() + " \""
                            + f.getError().getMessage() + "\" (" + cameBack(onNode3, id, user) + ")");
                }
            }
            if (problems.isEmpty()) {
                Lobby back = onNode3.get(id).orElseThrow();
                assertEquals(
                        List.of("alice", "bob"),
                        back.members().stream().map(Member::userId).toList(),
                        "round " + round + ": join order kept");
                assertEquals("alice", back.hostUserId(), "round " + round + ": the host hosts again");
                for (TestClient c : List.of(alice, bob)) {
                    c.awaitPush(f -> f.hasLobbyState()
                            && f.getLobbyState().getLobbyId().equals(id)
                            && f.getLobbyState().getMembersCount() == 2
                            && f.getLobbyState().getHostUserId().equals("alice"));
                }
            } else {
                lost.add("round " + round + ": " + String.join("; ", problems));
            }

            int roundNo = round;
            leave(alice, id);
            leave(bob, id);
            Await.until(
                    () -> onNode3.lobbyOf("alice").isEmpty()
                            && onNode3.lobbyOf("bob").isEmpty(),
                    Duration.ofSeconds(10),
                    () -> "round " + roundNo + ": members did not leave: alice in "
                            + onNode3.lobbyOf("alice") + ", bob in " + onNode3.lobbyOf("bob") + ", lobby "
                            + onNode3.get(id));
            alice.drainPushes();
            bob.drainPushes();
        }
        assertEquals(List.of(), lost, "members lost in " + lost.size() + " of " + ROUNDS + " restarts");
    }

    @Test
    void membersWrittenBackFromAnotherNodesMemoryStayWhileTheirOwnNodeHoldsThem() throws Exception {
        TestClient alice = players.connect(nodes.get(0), "alice");
        TestClient bob = players.connect(nodes.get(1), "bob");
        String id = alice.request(Req.create("held across", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        restartRedis();
        awaitListed(nodes.get(2).node().directory(), id);
        // whichever node wrote first holds the other's member until its node confirms it
        for (TestNode n : nodes) {
            TestNode.awaitCount(
                    () -> n.node().counts().heldSeats() == 0, "a held seat outlived the confirmation window");
        }
        assertEquals(
                List.of("alice", "bob"),
                nodes.get(2).node().directory().get(id).orElseThrow().members().stream()
                        .map(Member::userId)
                        .toList(),
                "both nodes still hold their members: both stay");
        assertTrue(alice.request(Req.chat(id, "still here")).hasOk());
        assertTrue(bob.request(Req.chat(id, "me too")).hasOk());
    }

    @Test
    void aRememberedMemberWhoseNodeStoppedWhileRedisWasAwayIsReleased() throws Exception {
        TestClient alice = players.connect(nodes.get(0), "alice");
        TestClient bob = players.connect(nodes.get(1), "bob");
        String id =
                alice.request(Req.create("half gone", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);
        redis.kill();
        for (TestNode n : nodes) {
            Await.until(() -> !n.node().busUp(), Duration.ofSeconds(10), () -> "a node did not notice Redis die");
        }
        TestNode gone = nodes.remove(1);
        gone.close(); // bob's node goes while Redis is away: nobody can tell Redis
        bob.awaitClose();
        redis.launch();
        ServerFrame restored =
                alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);
        assertEquals("alice", restored.getLobbyState().getHostUserId(), "node 1 wrote back what it remembered");
        long t0 = System.nanoTime();
        ServerFrame released =
                alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 1);
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("alice", released.getLobbyState().getMembers(0).getUserId(), "no live node held bob: released");
        assertTrue(tookMs < 5_000 + 2_000, "within the node TTL (5 s) + 2 s, took " + tookMs + " ms");
        assertEquals(java.util.Optional.empty(), nodes.get(1).node().directory().lobbyOf("bob"));
    }

    /** SIGKILLs Redis, waits until every node noticed, and starts it again empty on the same port. */
    private void restartRedis() throws Exception {
        redis.kill();
        for (TestNode n : nodes) {
            Await.until(() -> !n.node().busUp(), Duration.ofSeconds(10), () -> "a node did not notice Redis die");
        }
        redis.launch();
    }

    /** Leaves, asking again when a connection to the old Redis failed the request (UNAVAILABLE). */
    private static void leave(TestClient c, String id) throws Exception {
        for (int attempt = 0; attempt < 5; attempt++) {
            ServerFrame f = c.request(Req.leave(id));
            if (f.hasOk() || f.getError().getCode() != io.tickroom.protocol.v1.ErrorCode.UNAVAILABLE) {
                return;
            }
        }
    }

    /** Whether (and how soon) a lost member became a member again: what tells a lasting loss from a late write-back. */
    private static String cameBack(LobbyDirectory d, String id, String user) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Await.until(() -> d.get(id).map(l -> l.hasMember(user)).orElse(false), Duration.ofSeconds(5), () -> "");
            return "a member again " + (System.nanoTime() - t0) / 1_000_000 + " ms later";
        } catch (AssertionError e) {
            return "still not a member 5 s later";
        }
    }

    /** Waits until a listing shows the lobby again (Redis answers UNAVAILABLE meanwhile) and returns it as listed. */
    private static Lobby awaitListed(LobbyDirectory d, String id) throws InterruptedException {
        Lobby[] seen = new Lobby[1];
        Await.until(
                () -> {
                    try {
                        seen[0] = d.list("arena", LobbyDirectory.Order.NEWEST, 0, 20).lobbies().stream()
                                .filter(l -> l.id().equals(id))
                                .findFirst()
                                .orElse(null);
                        return seen[0] != null;
                    } catch (ClusterUnavailableException e) {
                        return false;
                    }
                },
                Duration.ofSeconds(20),
                () -> "the lobby was not listed again after the restart");
        return seen[0];
    }
}
