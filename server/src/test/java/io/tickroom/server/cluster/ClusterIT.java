package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LobbySummary;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.NodeProcess;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three nodes on one real redis-server: one lobby directory, lobby events across nodes. {@link
 * RedisClusterNodesIT} runs the same on a Redis Cluster.
 */
@Timeout(120)
class ClusterIT {
    static final AtomicInteger runs = new AtomicInteger();
    /** The redis-server (null in a subclass on a Redis Cluster). */
    RedisServer redis;

    /** Starts this test's Redis; returns its --redis URI. */
    String startRedis() throws Exception {
        redis = RedisServer.start();
        return redis.uri();
    }

    void stopRedis() throws Exception {
        redis.close();
    }

    String redisUri;
    final List<TestNode> nodes = new ArrayList<>();
    final Players players = new Players();
    final List<NodeProcess> processes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        redisUri = startRedis();
        String prefix = "c" + runs.incrementAndGet() + ":";
        for (int i = 1; i <= 3; i++) {
            String id = "node-" + i;
            nodes.add(TestNode.start(c -> c.withNodeId(id).withCluster(ClusterConfig.redis(redisUri, prefix))));
        }
    }

    @AfterEach
    void stop() throws Exception {
        try {
            for (NodeProcess p : processes) {
                p.close();
            }
            players.close();
            for (TestNode n : nodes) {
                n.awaitZeroCounts();
            }
        } finally {
            // whatever failed above, no node or redis-server outlives the test
            for (TestNode n : nodes) {
                n.close();
            }
            stopRedis();
        }
    }

    TestClient connect(int node, String user) throws Exception {
        return players.connect(nodes.get(node - 1), user);
    }

    /** Lobby-stream events a client saw, as "seq:kind", skipping everything else. */
    static List<String> lobbyEvents(TestClient c, int n) throws Exception {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            ServerFrame f = c.awaitPush(p -> p.getStream().startsWith("lobby:"));
            out.add(f.getSeq() + ":"
                    + (f.hasChat()
                            ? "chat " + f.getChat().getText()
                            : "state "
                                    + f.getLobbyState().getMembersList().stream()
                                            .map(m -> m.getUserId() + (m.getReady() ? "*" : ""))
                                            .toList()));
        }
        return out;
    }

    @Test
    void aLobbyCreatedOnOneNodeIsJoinedFromAllThreeAndEveryoneSeesTheSameEvents() throws Exception {
        TestClient a = connect(1, "alice");
        TestClient b = connect(2, "bob");
        TestClient c = connect(3, "carol");
        String id = a.request(Req.create("across", 4, false)).getLobbyState().getLobbyId();
        for (TestClient x : List.of(b, c)) {
            List<String> listed = x.request(Req.list("arena")).getLobbyList().getLobbiesList().stream()
                    .map(LobbySummary::getLobbyId)
                    .toList();
            assertEquals(List.of(id), listed, "listed on every node");
        }
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        assertTrue(c.request(Req.join(id)).hasLobbyState());
        assertTrue(a.request(Req.chat(id, "hello from node 1")).hasOk());
        assertTrue(b.request(Req.ready(id, true)).hasOk());
        assertTrue(c.request(Req.chat(id, "hi from node 3")).hasOk());

        List<String> aSees = lobbyEvents(a, 6);
        List<String> bSees = lobbyEvents(b, 5);
        List<String> cSees = lobbyEvents(c, 4);
        assertEquals(
                List.of(
                        "1:state [alice]",
                        "2:state [alice, bob]",
                        "3:state [alice, bob, carol]",
                        "4:chat hello from node 1",
                        "5:state [alice, bob*, carol]",
                        "6:chat hi from node 3"),
                aSees);
        assertEquals(aSees.subList(1, 6), bSees, "bob on node 2 saw the same events, once, in order");
        assertEquals(aSees.subList(2, 6), cSees, "carol on node 3 too");
    }

    @Test
    void aMemberKickedFromAnotherNodeIsToldAndStopsGettingTheLobbysPushes() throws Exception {
        TestClient host = connect(1, "alice");
        TestClient bob = connect(2, "bob");
        TestClient carol = connect(3, "carol");
        String id = host.request(Req.create("kick across", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(carol.request(Req.join(id)).hasLobbyState());
        assertTrue(host.request(Req.kick(id, "bob")).hasOk());
        ServerFrame left = bob.awaitPush(ServerFrame::hasLobbyLeft);
        assertEquals(
                io.tickroom.protocol.v1.LeftReason.KICKED, left.getLobbyLeft().getReason());
        assertTrue(host.request(Req.chat(id, "after the kick")).hasOk());
        assertEquals(
                "after the kick",
                carol.awaitPush(ServerFrame::hasChat).getChat().getText());
        // one Redis delivers to bob's node in publish order: once the DM sent after the chat is
        // there, the chat would be too had his node kept him in the lobby room
        assertTrue(carol.request(Req.dm("bob", "marker")).hasOk());
        bob.awaitPush(ServerFrame::hasDirectMessage);
        assertEquals(
                List.of(),
                bob.drainPushes().stream().filter(ServerFrame::hasChat).toList());
        TestNode.awaitCount(() -> nodes.get(1).node().counts().rooms() == 1, "bob's node keeps only his user room");
    }

    @Test
    void aUsersSessionsOnOtherNodesFollowItIntoALobbyWhoseVersionIsBelowItsLastLobbys() throws Exception {
        TestClient bob = connect(1, "bob");
        TestClient bobsPhone = connect(2, "bob");
        TestClient alice = connect(3, "alice");
        TestClient carol = connect(3, "carol");
        String first =
                alice.request(Req.create("first", 4, false)).getLobbyState().getLobbyId();
        for (int i = 0; i < 6; i++) {
            assertTrue(alice.request(Req.ready(first, i % 2 == 0)).hasOk());
        }
        long firstVersion = bob.request(Req.join(first)).getLobbyState().getVersion();
        assertEquals(
                first,
                bobsPhone.awaitPush(f -> f.hasLobbyState()).getLobbyState().getLobbyId());
        assertTrue(bob.request(Req.leave(first)).hasOk());
        assertEquals(
                first,
                bobsPhone.awaitPush(ServerFrame::hasLobbyLeft).getLobbyLeft().getLobbyId());
        String second =
                carol.request(Req.create("second", 4, false)).getLobbyState().getLobbyId();
        long secondVersion = bob.request(Req.join(second)).getLobbyState().getVersion();
        assertTrue(
                secondVersion < firstVersion,
                "the second lobby's version (" + secondVersion + ") is below the first's (" + firstVersion + ")");

        ServerFrame state = bobsPhone.awaitPush(
                f -> f.hasLobbyState() && f.getLobbyState().getLobbyId().equals(second));
        assertEquals(
                List.of("carol", "bob"),
                state.getLobbyState().getMembersList().stream()
                        .map(m -> m.getUserId())
                        .toList(),
                "the state of the second lobby reached bob's phone on its user stream");
        assertTrue(carol.request(Req.chat(second, "welcome")).hasOk());
        assertEquals(
                "welcome",
                bobsPhone.awaitPush(ServerFrame::hasChat).getChat().getText(),
                "bob's phone on node 2 followed him into the second lobby");
    }

    @Test
    void aStartAnsweredAfterItsConnectionDroppedIsAnsweredAgainNotAppliedTwiceWhenRetriedAfterAResume()
            throws Exception {
        TestClient alice = connect(1, "alice");
        TestClient alicesTablet = connect(3, "alice");
        TestClient bob = connect(2, "bob");
        TestClient carol = connect(2, "carol");
        var create = Req.create("started, then dropped", 3, false);
        create.getCreateLobbyBuilder().setMode("arena-sprint");
        String id = alice.request(create).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(carol.request(Req.join(id)).hasLobbyState());
        for (TestClient x : List.of(alice, bob, carol)) {
            assertTrue(x.request(Req.ready(id, true)).hasOk());
        }
        String token = alice.welcome().getWelcome().getResumeToken();
        var seen = alice.lastSeqs();
        // two of three players are on node 2: the match is placed there, and answered once node 2 runs it
        int startId = alice.nextRequestId();
        alice.sendThenDrop(startId, io.tickroom.server.testing.Games.start(id));
        TestNode.awaitCount(
                () -> nodes.get(0).node().sessions().sessionsOf("alice").isEmpty(), "node 1 saw alice drop");
        var found = bob.awaitPush(ServerFrame::hasMatchFound).getMatchFound();

        TestClient back =
                players.add(TestClient.connectResuming(nodes.get(2).playUri(), TestNode.token("alice"), startId + 1));
        assertTrue(back.request(Req.resume(token, seen)).hasResumed());
        long answeredBefore = nodes.get(2).node().playDispatcher().retriesAnswered();
        ServerFrame retry = back.requestWithId(startId, io.tickroom.server.testing.Games.start(id));
        assertTrue(retry.hasOk(), "the original answer, not the start applied again: " + retry);
        assertEquals(answeredBefore + 1, nodes.get(2).node().playDispatcher().retriesAnswered());

        // one match: everyone claims their seat on node 2 and leaves it
        List<TestClient> seated = new ArrayList<>();
        for (TestClient x : List.of(alicesTablet, bob, carol)) {
            var seat =
                    x == bob ? found : x.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
            assertEquals(found.getMatchId(), seat.getMatchId());
            TestClient there = players.add(TestClient.connect(
                    java.net.URI.create(seat.getEndpoint()),
                    TestNode.token(x.welcome().getWelcome().getUserId())));
            assertTrue(there.request(io.tickroom.server.testing.Games.claim(seat.getSeatToken()))
                    .hasMatchJoined());
            seated.add(there);
        }
        assertTrue(carol.request(Req.dm("bob", "marker")).hasOk());
        bob.awaitPush(ServerFrame::hasDirectMessage);
        assertEquals(
                List.of(),
                bob.drainPushes().stream().filter(ServerFrame::hasMatchFound).toList(),
                "one match_found");
        for (TestClient x : seated) {
            x.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setLeaveMatch(
                            io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(found.getMatchId())));
        }
    }

    @Test
    void directMessagesReachAUserOnAnotherNode() throws Exception {
        TestClient a = connect(1, "alice");
        TestClient b1 = connect(2, "bob");
        TestClient b2 = connect(3, "bob");
        assertTrue(a.request(Req.dm("bob", "psst")).hasOk());
        assertEquals(
                "psst",
                b1.awaitPush(ServerFrame::hasDirectMessage).getDirectMessage().getText());
        assertEquals(
                "psst",
                b2.awaitPush(ServerFrame::hasDirectMessage).getDirectMessage().getText());
        assertEquals(
                ErrorCode.NOT_FOUND,
                a.request(Req.dm("nobody", "hello?")).getError().getCode());
    }

    @Test
    void sixtyPlayersOnThreeNodesRaceForFourSeatsTwentyTimes() throws Exception {
        TestClient host = connect(1, "host");
        List<TestClient> racers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            racers.add(connect(1 + i % 3, "racer" + i));
        }
        for (int round = 0; round < 20; round++) {
            String id = host.request(Req.create("race " + round, 5, false))
                    .getLobbyState()
                    .getLobbyId();
            List<CompletableFuture<ServerFrame>> answers = new ArrayList<>();
            for (TestClient r : racers) {
                answers.add(r.requestAsync(Req.join(id)));
            }
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            List<Integer> winners = new ArrayList<>();
            for (int i = 0; i < answers.size(); i++) {
                ServerFrame f = answers.get(i).join();
                if (f.hasLobbyState()) {
                    winners.add(i);
                } else {
                    assertEquals(ErrorCode.FULL, f.getError().getCode(), f::toString);
                }
            }
            assertEquals(4, winners.size(), "round " + round);
            assertEquals(
                    5,
                    nodes.get(1)
                            .node()
                            .directory()
                            .get(id)
                            .orElseThrow()
                            .members()
                            .size(),
                    "the directory agrees");
            for (int w : winners) {
                assertTrue(racers.get(w).request(Req.leave(id)).hasOk());
            }
            assertTrue(host.request(Req.leave(id)).hasOk());
        }
    }

    @Test
    void redisDownAnswersUnavailableAtOnceAndServiceComesBackWithoutARestart() throws Exception {
        TestClient a = connect(1, "alice");
        TestClient b = connect(2, "bob");
        TestClient c = connect(3, "carol");
        String id = a.request(Req.create("survives redis", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        assertTrue(b.request(Req.chat(id, "before")).hasOk());
        long seqBefore = a.awaitPush(ServerFrame::hasChat).getSeq();

        redis.kill();
        long t0 = System.nanoTime();
        ServerFrame down = a.request(Req.list("arena"));
        assertEquals(ErrorCode.UNAVAILABLE, down.getError().getCode(), down::toString);
        assertEquals(
                ErrorCode.UNAVAILABLE,
                c.request(Req.create("while down", 4, false)).getError().getCode());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5), "answered within the Redis timeout, no hang");
        assertTrue(a.request(Req.ping()).hasPong(), "what is local keeps working");
        var metrics = io.tickroom.server.testing.Scrape.of(nodes.get(0).port());
        assertTrue(metrics.value("tickroom_redis_calls_seconds_count") > 0, "Redis calls are timed");
        assertTrue(metrics.value("tickroom_redis_failures_total") >= 1, "and the failed one counted");
        TestNode.awaitCount(() -> !nodes.get(0).node().busUp(), "the node noticed the bus is down");

        redis.launch(); // same port, empty: nodes reconnect by themselves and write back what they hold
        for (TestNode n : nodes) {
            TestNode.awaitCount(
                    () -> n.node().busUp(), "the bus of " + n.node().config().nodeId() + " did not come back");
        }
        ServerFrame restored =
                a.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);
        assertEquals(
                List.of("alice", "bob"),
                restored.getLobbyState().getMembersList().stream()
                        .map(m -> m.getUserId())
                        .toList(),
                "both nodes wrote their members back, in join order");
        assertEquals("alice", restored.getLobbyState().getHostUserId());
        assertEquals(
                List.of(id),
                c.request(Req.list("arena")).getLobbyList().getLobbiesList().stream()
                        .map(LobbySummary::getLobbyId)
                        .toList(),
                "listed again");
        assertEquals(
                ErrorCode.ALREADY_IN,
                b.request(Req.create("second", 4, false)).getError().getCode(),
                "bob's membership is back too");
        assertTrue(c.request(Req.join(id)).hasLobbyState(), "full service: joins work");
        assertTrue(c.request(Req.chat(id, "we are back")).hasOk());
        ServerFrame after = a.awaitPush(ServerFrame::hasChat);
        assertEquals("we are back", after.getChat().getText(), "the bus resubscribed: cross-node pushes flow again");
        assertTrue(
                after.getSeq() > seqBefore,
                "seqs go on increasing for the members (" + after.getSeq() + " after " + seqBefore + ")");
    }

    /** A node as its own process on this cluster's Redis and prefix; closed after the test. */
    NodeProcess launchNodeProcess(String... flags) throws Exception {
        NodeProcess p = NodeProcess.start(
                redisUri, nodes.get(0).node().config().cluster().keyPrefix(), flags);
        processes.add(p);
        return p;
    }

    @Test
    void aPlayerDroppedOnOneNodeResumesOnAnotherWithEveryMissedPushOnceInOrder() throws Exception {
        TestClient alice = connect(1, "alice");
        TestClient bob = connect(2, "bob");
        String id = alice.request(Req.create("resume elsewhere", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(bob.request(Req.chat(id, "one")).hasOk());
        alice.awaitPush(ServerFrame::hasChat);
        var seen = alice.lastSeqs();
        String token = alice.welcome().getWelcome().getResumeToken();
        alice.drop();
        TestNode.awaitCount(
                () -> nodes.get(0).node().sessions().sessionsOf("alice").isEmpty(), "node 1 saw alice drop");
        assertTrue(bob.request(Req.chat(id, "two")).hasOk());
        assertTrue(bob.request(Req.chat(id, "three")).hasOk());

        TestClient back = players.add(
                TestClient.connectResuming(nodes.get(2).playUri(), TestNode.token("alice"), alice.nextRequestId()));
        ServerFrame resumed = back.request(Req.resume(token, seen));
        assertTrue(resumed.hasResumed(), resumed::toString);
        assertEquals(id, resumed.getResumed().getLobbyId());
        assertTrue(bob.request(Req.chat(id, "four")).hasOk());
        back.awaitPush(f -> f.hasChat() && f.getChat().getText().equals("four"));
        long s0 = seen.get("lobby:" + id);
        List<String> frames = TestClient.lobbyFrames(back.received());
        // every push of the stream after alice's last seq, each once and in seq order; the chats are
        // the three bob sent. A whole state may sit among them (once in CI, 2026-12-02: seq s0 + 3,
        // "state [alice, bob]", a lobby write-back published between the replay and chat four); it
        // is a push of the stream like any other and numbered as one
        long previous = s0;
        for (String f : frames) {
            long seq = Long.parseLong(f.substring(0, f.indexOf(':')));
            assertEquals(previous + 1, seq, "no gap, no repeat, in order: " + frames);
            previous = seq;
        }
        assertEquals(
                List.of("chat two", "chat three", "chat four"),
                frames.stream()
                        .map(f -> f.substring(f.indexOf(':') + 1))
                        .filter(f -> f.startsWith("chat "))
                        .toList(),
                "replayed from the Redis log on node 3, then live, each once: " + frames);
        assertTrue(
                frames.stream().allMatch(f -> f.contains(":chat ") || f.endsWith(":state [alice, bob]")),
                "nothing but the chats and the lobby's own state: " + frames);
    }

    @Test
    void resumingElsewhereClosesTheOldConnectionItsNodeStillHolds() throws Exception {
        TestClient alice = connect(1, "alice");
        String id =
                alice.request(Req.create("half-open", 4, false)).getLobbyState().getLobbyId();
        String token = alice.welcome().getWelcome().getResumeToken();
        // node 1 still thinks alice's connection is open (a half-open TCP connection looks like this)
        TestClient back = players.add(TestClient.connectResuming(nodes.get(2).playUri(), TestNode.token("alice"), 10));
        ServerFrame resumed = back.request(Req.resume(token, alice.lastSeqs()));
        assertEquals(id, resumed.getResumed().getLobbyId());
        assertEquals(
                new TestClient.CloseStatus(1000, "resumed by another connection"),
                alice.awaitClose(),
                "node 1 closed the old connection when asked");
        TestNode.awaitCount(
                () -> nodes.get(0).node().sessions().sessionsOf("alice").isEmpty(), "gone from node 1");
        TestClient again = players.add(TestClient.connectResuming(nodes.get(1).playUri(), TestNode.token("alice"), 20));
        assertEquals(
                ErrorCode.RESUME_FAILED,
                again.request(Req.resume(token, java.util.Map.of())).getError().getCode(),
                "the old session cannot be resumed a second time");
        assertTrue(back.request(Req.chat(id, "still in")).hasOk());
    }

    @Test
    void playersOfAKilledNodeResumeOnAnotherWithoutLosingTheirLobby() throws Exception {
        NodeProcess doomed = launchNodeProcess("--node-id", "doomed");
        TestClient alice = connect(1, "alice");
        TestClient yan = doomed.connect("yan");
        String id = alice.request(Req.create("survives a crash", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(yan.request(Req.join(id)).hasLobbyState(), "acknowledged: yan is a member");
        assertTrue(yan.request(Req.ready(id, true)).hasOk(), "acknowledged: yan is ready");
        var seen = yan.lastSeqs();
        String token = yan.welcome().getWelcome().getResumeToken();

        doomed.kill(); // SIGKILL
        TestClient back = players.add(TestClient.connectResuming(nodes.get(1).playUri(), TestNode.token("yan"), 50));
        ServerFrame resumed = back.request(Req.resume(token, seen));
        assertTrue(resumed.hasResumed(), resumed::toString);
        assertEquals(id, resumed.getResumed().getLobbyId());
        // the dead node is cleaned up after its TTL; yan is back elsewhere, so yan stays
        TestNode.awaitCount(
                () -> nodes.stream().mapToLong(n -> n.node().deadNodesCleaned()).sum() == 1,
                "a survivor cleaned up after the dead node");
        var lobby = nodes.get(0).node().directory().get(id).orElseThrow();
        assertEquals(
                List.of("alice", "yan*"),
                lobby.members().stream()
                        .map(m -> m.userId() + (m.ready() ? "*" : ""))
                        .toList(),
                "membership and readiness kept");
        assertTrue(back.request(Req.chat(id, "still here")).hasOk());
        assertEquals(
                "still here", alice.awaitPush(ServerFrame::hasChat).getChat().getText());
    }

    @Test
    void drainingANodeMovesItsLobbyMembersElsewhereLetsItsMatchFinishAndLeaves() throws Exception {
        TestNode third = nodes.get(2);
        TestClient bob = connect(1, "bob");
        TestClient alice = connect(3, "alice");
        String id =
                bob.request(Req.create("drain me", 4, false)).getLobbyState().getLobbyId();
        assertTrue(alice.request(Req.join(id)).hasLobbyState());
        // a match on node 3 between two players there
        TestClient p1 = connect(3, "p1");
        TestClient p2 = connect(3, "p2");
        var founds = io.tickroom.server.testing.Games.startFromLobby("arena-sprint", List.of(p1, p2));
        String matchId = founds.get(0).getMatchId();
        List<TestClient> seated = new ArrayList<>();
        for (TestClient p : List.of(p1, p2)) {
            var found = founds.get(seated.size());
            TestClient there = players.add(TestClient.connect(
                    java.net.URI.create(found.getEndpoint()),
                    TestNode.token(p.welcome().getWelcome().getUserId())));
            assertTrue(there.request(io.tickroom.server.testing.Games.claim(found.getSeatToken()))
                    .hasMatchJoined());
            seated.add(there);
        }
        for (TestClient x : seated) {
            x.awaitPush(ServerFrame::hasMatchSnapshot);
        }
        var seen = alice.lastSeqs();
        String token = alice.welcome().getWelcome().getResumeToken();

        TestClient admin = players.add(io.tickroom.server.testing.Admin.connect(nodes.get(0)));
        assertEquals(
                1,
                admin.request(io.tickroom.server.testing.Admin.drain("node-3"))
                        .getAdminResult()
                        .getAffected());
        ServerFrame bye = alice.awaitPush(ServerFrame::hasGoodbye);
        assertEquals(
                io.tickroom.server.session.CloseCodes.DRAINING, bye.getGoodbye().getReason());
        String elsewhere = bye.getGoodbye().getReconnectUrl();
        assertTrue(
                elsewhere.equals(nodes.get(0).node().playUrl())
                        || elsewhere.equals(nodes.get(1).node().playUrl()),
                "sent to another node: " + elsewhere);
        assertEquals(
                io.tickroom.server.session.CloseCodes.GOING_AWAY,
                alice.awaitClose().code());
        for (TestClient x : seated) {
            assertTrue(x.request(Req.ping()).hasPong(), "players of a running match stay until it ends");
        }
        var refused = io.tickroom.server.testing.RawHandshake.upgrade(
                third.port(), "/ws/play", java.util.Map.of("Authorization", "Bearer " + TestNode.token("late")));
        assertEquals(503, refused.status(), "a draining node takes no new sessions: " + refused.body());

        TestClient back = players.add(TestClient.connectResuming(
                java.net.URI.create(elsewhere), TestNode.token("alice"), alice.nextRequestId()));
        ServerFrame resumed = back.request(Req.resume(token, seen));
        assertEquals(id, resumed.getResumed().getLobbyId(), "alice is in her lobby on the other node");
        assertTrue(back.request(Req.chat(id, "moved")).hasOk());
        assertEquals("moved", bob.awaitPush(ServerFrame::hasChat).getChat().getText());

        for (TestClient x : seated) { // the match finishes (its players leave), then the node stops
            x.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setLeaveMatch(
                            io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(matchId)));
        }
        TestNode.awaitCount(
                () -> nodes.get(0).node().liveNodes().stream().noneMatch(n -> n.equals("node-3")),
                "the drained node left the node registry");
        TestNode.awaitCount(
                () -> nodes.stream().mapToLong(n -> n.node().deadNodesCleaned()).sum() == 1,
                "a survivor took over what the drained node held");
        assertEquals(
                List.of("bob", "alice"),
                nodes.get(0).node().directory().get(id).orElseThrow().members().stream()
                        .map(m -> m.userId())
                        .toList());
    }

    @Test
    void adminListsSessionsOfEveryNodeAndKicksAcrossNodes() throws Exception {
        TestClient a = connect(1, "alice");
        TestClient b = connect(2, "bob");
        TestClient b2 = connect(3, "bob");
        String id = a.request(Req.create("watched", 4, false)).getLobbyState().getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        TestClient admin = players.add(io.tickroom.server.testing.Admin.connect(nodes.get(2)));

        var all = admin.request(io.tickroom.server.testing.Admin.listSessions("", 0))
                .getSessionList();
        assertEquals(List.of("node-1", "node-2", "node-3"), all.getNodesAnsweredList());
        assertEquals(List.of(), all.getMissingNodesList());
        assertEquals(
                List.of("alice@node-1", "bob@node-2", "bob@node-3", "operator@node-3"),
                all.getSessionsList().stream()
                        .map(x -> x.getUserId() + "@" + x.getNodeId())
                        .sorted()
                        .toList());
        var inLobby = admin.request(io.tickroom.server.testing.Admin.listSessions("lobby:" + id, 0))
                .getSessionList();
        assertEquals(
                List.of("alice@node-1", "bob@node-2", "bob@node-3"),
                inLobby.getSessionsList().stream()
                        .map(x -> x.getUserId() + "@" + x.getNodeId())
                        .sorted()
                        .toList(),
                "bob's second device on node 3 joined the lobby room too");

        TestClient carol = connect(2, "carol");
        var told = admin.request(io.tickroom.server.testing.Admin.announce("restart at noon", "lobby:" + id))
                .getAdminResult();
        assertEquals(1, told.getAffected(), "every player on every node except the lobby's members: carol");
        assertEquals(List.of("node-1", "node-2", "node-3"), told.getNodesAnsweredList());
        assertEquals(
                "restart at noon",
                carol.awaitPush(ServerFrame::hasAnnouncement).getAnnouncement().getText());
        assertTrue(a.request(Req.ping()).hasPong());
        assertEquals(
                List.of(),
                a.drainPushes().stream().filter(ServerFrame::hasAnnouncement).toList());

        var kicked = admin.request(io.tickroom.server.testing.Admin.kick("bob")).getAdminResult();
        assertEquals(2, kicked.getAffected(), "both of bob's sessions, on two other nodes");
        assertEquals(
                io.tickroom.server.session.CloseCodes.KICKED, b.awaitClose().code());
        assertEquals(
                io.tickroom.server.session.CloseCodes.KICKED, b2.awaitClose().code());
    }

    @Test
    void adminListingWithAFrozenNodeAnswersInTimeAndNamesIt() throws Exception {
        NodeProcess frozen = launchNodeProcess("--node-id", "frozen");
        connect(1, "alice");
        players.add(frozen.connect("zed"));
        TestClient admin = players.add(io.tickroom.server.testing.Admin.connect(nodes.get(0)));
        var before = admin.request(io.tickroom.server.testing.Admin.listSessions("", 0))
                .getSessionList();
        assertEquals(List.of("frozen", "node-1", "node-2", "node-3"), before.getNodesAnsweredList());

        frozen.freeze();
        long t0 = System.nanoTime();
        var during = admin.request(io.tickroom.server.testing.Admin.listSessions("", 500))
                .getSessionList();
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(List.of("frozen"), during.getMissingNodesList(), "the frozen node is named");
        assertEquals(List.of("node-1", "node-2", "node-3"), during.getNodesAnsweredList());
        assertEquals(
                List.of("alice", "operator"),
                during.getSessionsList().stream()
                        .map(x -> x.getUserId())
                        .sorted()
                        .toList());
        assertTrue(tookMs < 500 + 1_000, "answered near its 500 ms timeout, took " + tookMs + " ms");
    }

    @Test
    void aFrozenRedisHoldsRequestLanesNotTheThreadsThatAnswerPings() throws Exception {
        // more sessions than Jetty has threads (256), each with a request that waits on Redis
        List<TestClient> waiting = new ArrayList<>();
        for (int i = 0; i < 270; i++) {
            waiting.add(connect(1, "w" + i));
        }
        TestClient pinger = connect(1, "pinger");
        redis.freeze();
        List<CompletableFuture<ServerFrame>> answers = new ArrayList<>();
        try {
            for (TestClient w : waiting) {
                answers.add(w.requestAsync(Req.create("while frozen", 4, false)));
            }
            long t0 = System.nanoTime();
            assertTrue(pinger.request(Req.ping()).hasPong());
            long pingMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(pingMs < 250, "a ping waits for no Redis call: answered in " + pingMs + " ms");
        } finally {
            redis.thaw();
        }
        for (CompletableFuture<ServerFrame> a : answers) {
            ServerFrame f = a.get(20, TimeUnit.SECONDS);
            assertTrue(f.hasLobbyState() || f.getError().getCode() == ErrorCode.UNAVAILABLE, f::toString);
        }
    }

    @Test
    void aNodeKilledWithoutCleanupLosesItsMembersWithinTheTtl() throws Exception {
        NodeProcess doomed = launchNodeProcess("--node-id", "doomed");
        TestClient host = connect(1, "alice");
        TestClient remote = doomed.connect("zed");
        TestClient queued = doomed.connect("zoe");
        assertTrue(queued.request(io.tickroom.server.testing.Games.quick("arena-8"))
                .hasQuickMatchQueued());
        assertTrue(nodes.get(0).node().quickMatch().isQueued("zoe"), "the queue is shared");
        var created = remote.request(Req.create("on the doomed node", 4, false)).getLobbyState();
        assertTrue(host.request(Req.join(created.getLobbyId())).hasLobbyState());
        assertEquals("zed", created.getHostUserId());

        // a match hosted on the doomed node: two of its players start one there
        TestClient yan = doomed.connect("yan");
        TestClient yul = doomed.connect("yul");
        String matchId = io.tickroom.server.testing.Games.startFromLobby("arena-sprint", List.of(yan, yul))
                .get(0)
                .getMatchId();
        MatchDirectory matchDir = nodes.get(1).node().matchDirectory();
        TestNode.awaitCount(() -> matchDir.get(matchId).isPresent(), "the match is in the shared directory");
        assertEquals("doomed", matchDir.get(matchId).orElseThrow().nodeId());
        assertEquals(java.util.Optional.of(matchId), matchDir.matchOf("yul"));
        assertEquals(
                ErrorCode.ALREADY_IN,
                connect(2, "yul")
                        .request(Req.create("elsewhere", 2, false))
                        .getError()
                        .getCode(),
                "a seat in a match on another node counts");

        long killedAt = System.nanoTime();
        doomed.kill(); // SIGKILL: no goodbye, no clean-up
        ServerFrame after =
                host.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 1);
        long tookMs = (System.nanoTime() - killedAt) / 1_000_000;
        assertEquals("alice", after.getLobbyState().getHostUserId(), "the host role passed to the survivor");
        assertTrue(tookMs <= 5_000 + 2_000, "cleaned up within TTL + 2 s, took " + tookMs + " ms");
        assertEquals(
                1,
                nodes.get(2)
                        .node()
                        .directory()
                        .get(created.getLobbyId())
                        .orElseThrow()
                        .members()
                        .size());
        // the clean-up goes through the dead node's users one by one: zoe's turn may come after alice's
        TestNode.awaitCount(
                () -> !nodes.get(0).node().quickMatch().isQueued("zoe"), "queued on the dead node: dropped");
        TestNode.awaitCount(() -> matchDir.get(matchId).isEmpty(), "the dead node's match left the directory");
        assertEquals(java.util.Optional.empty(), matchDir.matchOf("yul"), "its players hold no seat any more");
    }

    @Test
    void aMatchRunsOnTheNodeHoldingMostOfItsPlayers() throws Exception {
        TestClient host = connect(1, "alice");
        TestClient b = connect(2, "bob");
        TestClient c = connect(2, "carol");
        var create = Req.create("most on node 2", 3, false);
        create.getCreateLobbyBuilder().setMode("arena-sprint");
        String id = host.request(create).getLobbyState().getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        assertTrue(c.request(Req.join(id)).hasLobbyState());
        for (TestClient x : List.of(host, b, c)) {
            assertTrue(x.request(Req.ready(id, true)).hasOk());
        }
        assertTrue(host.request(io.tickroom.server.testing.Games.start(id)).hasOk());
        String node2 = nodes.get(1).node().playUrl();
        String matchId = null;
        List<TestClient> seated = new ArrayList<>();
        for (TestClient x : List.of(host, b, c)) {
            var found = x.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
            assertEquals(node2, found.getEndpoint(), "two of three players are on node 2");
            matchId = found.getMatchId();
            TestClient there = x != host
                    ? x
                    : players.add(TestClient.connect(java.net.URI.create(node2), TestNode.token("alice")));
            assertTrue(there.request(io.tickroom.server.testing.Games.claim(found.getSeatToken()))
                    .hasMatchJoined());
            seated.add(there);
        }
        for (TestClient x : seated) {
            x.awaitPush(ServerFrame::hasMatchSnapshot); // running: everyone leaving ends it
        }
        assertEquals(0, nodes.get(0).node().matches().matchCount(), "not on the host's node");
        assertEquals(
                "node-2",
                nodes.get(2)
                        .node()
                        .matchDirectory()
                        .get(matchId)
                        .map(m -> m.nodeId())
                        .orElse("gone"),
                "the directory, read on node 3, says where it runs");
        for (TestClient x : seated) {
            x.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setLeaveMatch(
                            io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(matchId)));
        }
    }

    @Test
    void aLobbyOfPlayersOnThreeNodesStartsAMatchOnTheHostsNodeAndEveryoneClaimsThere() throws Exception {
        TestClient a = connect(1, "alice");
        TestClient b = connect(2, "bob");
        TestClient c = connect(3, "carol");
        var create = Req.create("cross-node match", 3, false);
        create.getCreateLobbyBuilder().setMode("arena-sprint");
        String id = a.request(create).getLobbyState().getLobbyId();
        b.request(Req.join(id));
        c.request(Req.join(id));
        for (TestClient x : List.of(a, b, c)) {
            assertTrue(x.request(Req.ready(id, true)).hasOk());
        }
        assertTrue(a.request(io.tickroom.server.testing.Games.start(id)).hasOk());
        String hostUrl = nodes.get(0).node().playUrl();
        List<TestClient> seated = new ArrayList<>();
        String bobsToken = null;
        for (TestClient x : List.of(a, b, c)) {
            var found = x.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
            if (x == b) {
                bobsToken = found.getSeatToken();
            }
            assertEquals(hostUrl, found.getEndpoint(), "match_found points at the hosting node");
            // claim over a connection to the hosting node, as the client library does
            TestClient there = x == a
                    ? a
                    : TestClient.connect(
                            java.net.URI.create(found.getEndpoint()),
                            TestNode.token(x.welcome().getWelcome().getUserId()));
            if (there != a) {
                players.add(there);
            }
            ServerFrame joined = there.request(io.tickroom.server.testing.Games.claim(found.getSeatToken()));
            assertTrue(joined.hasMatchJoined(), joined::toString);
            seated.add(there);
        }
        for (TestClient x : seated) {
            assertEquals(
                    3,
                    io.tickroom.server.testing.Games.arena(x.awaitPush(ServerFrame::hasMatchSnapshot))
                            .getPlayersCount());
        }
        // a seat token is only good on the node that hosts the match
        ServerFrame elsewhere = b.request(io.tickroom.server.testing.Games.claim(bobsToken));
        assertEquals(ErrorCode.NOT_FOUND, elsewhere.getError().getCode());
        assertTrue(elsewhere.getError().getMessage().contains("not hosted on this node"), elsewhere::toString);
        for (TestClient x : seated) {
            x.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setLeaveMatch(io.tickroom.protocol.v1.LeaveMatch.newBuilder()
                            .setMatchId(nodes.get(0).node().matches().matchIds().get(0))));
        }
    }

    @Test
    void quickMatchAcrossThreeNodesPutsSixtyFourPlayersInEightFullMatches() throws Exception {
        List<TestClient> players = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            TestClient p = connect(1 + i % 3, "q" + i);
            players.add(p);
            assertTrue(
                    p.request(io.tickroom.server.testing.Games.quick("arena-8")).hasQuickMatchQueued());
        }
        java.util.Map<String, List<String>> byMatch = new java.util.HashMap<>();
        List<CompletableFuture<ServerFrame>> claims = new ArrayList<>();
        List<TestClient> seated = new ArrayList<>();
        for (TestClient p : players) {
            var found = p.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
            String user = p.welcome().getWelcome().getUserId();
            byMatch.computeIfAbsent(found.getMatchId(), k -> new ArrayList<>()).add(user);
            TestClient there = TestClient.connect(java.net.URI.create(found.getEndpoint()), TestNode.token(user));
            this.players.add(there);
            seated.add(there);
            claims.add(there.requestAsync(io.tickroom.server.testing.Games.claim(found.getSeatToken())));
        }
        assertEquals(8, byMatch.size(), "eight matches");
        byMatch.values().forEach(m -> assertEquals(8, m.size(), "every match full"));
        assertEquals(
                64, byMatch.values().stream().flatMap(List::stream).distinct().count(), "nobody in two matches");
        for (CompletableFuture<ServerFrame> c : claims) {
            ServerFrame joined = c.get(20, TimeUnit.SECONDS);
            assertTrue(joined.hasMatchJoined(), joined::toString);
        }
        int hosting = 0;
        for (TestNode n : nodes) {
            hosting += n.node().matches().matchCount() > 0 ? 1 : 0;
        }
        assertTrue(hosting >= 1);
        for (TestClient p : players) {
            assertTrue(
                    p.drainPushes().stream()
                            .filter(ServerFrame::hasMatchFound)
                            .findAny()
                            .isEmpty(),
                    "exactly one match_found each");
        }
        for (int i = 0; i < seated.size(); i++) {
            seated.get(i)
                    .request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                            .setLeaveMatch(io.tickroom.protocol.v1.LeaveMatch.newBuilder()
                                    .setMatchId(claims.get(i)
                                            .join()
                                            .getMatchJoined()
                                            .getMatchId())));
        }
    }
}
