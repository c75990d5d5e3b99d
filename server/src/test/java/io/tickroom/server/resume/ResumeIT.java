package io.tickroom.server.resume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Resume on one node: the seat is held, missed pushes come back once and in order, retries are answered once. */
@Timeout(60)
class ResumeIT extends OneNodeIT {

    void awaitDropped(String user) throws InterruptedException {
        TestNode.awaitCount(
                () -> node.node().sessions().sessionsOf(user).isEmpty(), "the server did not see " + user + " drop");
    }

    @Test
    void aDroppedPlayerResumesKeepsItsSeatAndGetsEveryMissedPushOnceInOrder() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String id = alice.request(Req.create("resume here", 4, false))
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(bob.request(Req.chat(id, "one")).hasOk());
        alice.awaitPush(ServerFrame::hasChat);
        Map<String, Long> seen = alice.lastSeqs();
        String token = alice.welcome().getWelcome().getResumeToken();
        assertTrue(!token.isEmpty(), "the welcome carries a resume token");

        alice.drop();
        awaitDropped("alice");
        assertTrue(bob.request(Req.chat(id, "two")).hasOk());
        assertTrue(bob.request(Req.chat(id, "three")).hasOk());
        assertTrue(bob.request(Req.ready(id, true)).hasOk());

        TestClient back =
                players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), alice.nextRequestId()));
        ServerFrame resumed = back.request(Req.resume(token, seen));
        assertTrue(resumed.hasResumed(), resumed::toString);
        assertEquals(alice.sessionId(), resumed.getResumed().getSessionId());
        assertEquals(id, resumed.getResumed().getLobbyId(), "the lobby seat was held");
        assertEquals(3, resumed.getResumed().getReplayed());
        assertTrue(bob.request(Req.chat(id, "four")).hasOk());
        back.awaitPush(f -> f.hasChat() && f.getChat().getText().equals("four"));

        long s = seen.get("lobby:" + id);
        List<ServerFrame> got = back.received();
        assertTrue(got.get(0).hasResumed(), "the answer comes first: " + got.get(0));
        assertEquals(
                List.of(
                        (s + 1) + ":chat two",
                        (s + 2) + ":chat three",
                        (s + 3) + ":state [alice, bob*]",
                        (s + 4) + ":chat four"),
                TestClient.lobbyFrames(got),
                "every missed push once, in order, then live");
        List<String> bobSaw = TestClient.lobbyFrames(bob.drainPushes());
        assertTrue(bobSaw.stream().noneMatch(e -> e.contains("state [bob")), "alice never left the lobby: " + bobSaw);
    }

    @Test
    void aRequestRetriedAfterAResumeIsAnsweredAgainNotAppliedTwice() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String id = alice.request(Req.create("once", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        int chatId = alice.nextRequestId();
        assertTrue(alice.requestWithId(chatId, Req.chat(id, "exactly once")).hasOk());
        String token = alice.welcome().getWelcome().getResumeToken();
        Map<String, Long> seen = alice.lastSeqs();
        alice.drop();
        awaitDropped("alice");

        TestClient back = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), chatId + 1));
        assertTrue(back.request(Req.resume(token, seen)).hasResumed());
        ServerFrame retry = back.requestWithId(chatId, Req.chat(id, "exactly once"));
        assertTrue(retry.hasOk(), "the original answer: " + retry);
        assertTrue(back.request(Req.chat(id, "marker")).hasOk());
        bob.awaitPush(f -> f.hasChat() && f.getChat().getText().equals("marker"));
        long copies = bob.received().stream()
                .filter(f -> f.hasChat() && f.getChat().getText().equals("exactly once"))
                .count();
        assertEquals(1, copies, "the retried chat line was applied once");
        assertEquals(1, node.node().playDispatcher().retriesAnswered());
        var metrics = io.tickroom.server.testing.Scrape.of(node.port());
        assertEquals(1, metrics.value("tickroom_retries_answered_total"));
        assertEquals(1, metrics.value("tickroom_resumes_total", "result=\"ok\""));
    }

    @Test
    void resumeAfterTheGraceFailsWithTheReasonAndTheConnectionGoesOnFresh() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String id = alice.request(Req.create("grace", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        String token = alice.welcome().getWelcome().getResumeToken();
        alice.drop();
        // the grace (3 s in tests) ends: the seat goes, the members are told
        ServerFrame after =
                bob.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 1);
        assertEquals("bob", after.getLobbyState().getHostUserId());
        TestNode.awaitCount(() -> node.node().counts().resumeRecords() == 0, "the resume record expired");

        TestClient late = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), 100));
        ServerFrame failed = late.request(Req.resume(token, Map.of()));
        assertEquals(ErrorCode.RESUME_FAILED, failed.getError().getCode());
        assertTrue(failed.getError().getMessage().startsWith("expired:"), failed::toString);
        assertTrue(late.request(Req.ping()).hasPong(), "a fresh session");
        assertTrue(late.request(Req.join(id)).hasLobbyState(), "it can join again");
    }

    @Test
    void forgedForeignOrReusedTokensAreRefused() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String bobsToken = bob.welcome().getWelcome().getResumeToken();
        for (String token : List.of(
                "garbage",
                "v1.AAAA.BBBB",
                bobsToken,
                alice.welcome().getWelcome().getResumeToken())) {
            ServerFrame r = alice.request(Req.resume(token, Map.of()));
            assertEquals(ErrorCode.RESUME_FAILED, r.getError().getCode(), token);
            assertTrue(r.getError().getMessage().startsWith("unknown:"), r::toString);
        }
        String token = alice.welcome().getWelcome().getResumeToken();
        alice.drop();
        awaitDropped("alice");
        TestClient first = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), 10));
        assertTrue(first.request(Req.resume(token, Map.of())).hasResumed());
        TestClient second = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), 10));
        ServerFrame twice = second.request(Req.resume(token, Map.of()));
        assertEquals(ErrorCode.RESUME_FAILED, twice.getError().getCode(), "one resume per session");
        assertTrue(bob.request(Req.ping()).hasPong());
    }

    @Test
    void everyRefusalSaysWhyInATypedReasonBesidesItsMessage() throws Exception {
        TestClient alice = players.connect(node, "alice");
        ServerFrame forged = alice.request(Req.resume("garbage", Map.of()));
        assertEquals(
                io.tickroom.protocol.v1.ResumeFailedReason.RESUME_UNKNOWN,
                forged.getError().getResumeFailedReason());
        assertTrue(forged.getError().getMessage().startsWith("unknown:"), forged::toString);
        String token = alice.welcome().getWelcome().getResumeToken();
        alice.close(); // on purpose: nothing to resume
        TestClient again = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), 50));
        ServerFrame expired = again.request(Req.resume(token, Map.of()));
        assertEquals(
                io.tickroom.protocol.v1.ResumeFailedReason.RESUME_EXPIRED,
                expired.getError().getResumeFailedReason());
        assertTrue(expired.getError().getMessage().startsWith("expired:"), expired::toString);
        ServerFrame ok = again.request(Req.ping());
        assertEquals(
                io.tickroom.protocol.v1.ResumeFailedReason.RESUME_FAILED_REASON_UNSPECIFIED,
                ok.getError().getResumeFailedReason(),
                "only a refusal has one");

        // a node that keeps two pushes per stream cannot replay five
        var s = TestNode.config().session();
        try (TestNode shallow = TestNode.start(c -> c.withSession(new SessionConfig(
                        s.resumeGraceMs(),
                        2,
                        s.answerWindow(),
                        s.resumeHoldMs(),
                        s.maxSessionsPerUser(),
                        s.maxConnectionsPerIp(),
                        s.handshakesPerSecondPerIp(),
                        s.handshakeBurstPerIp(),
                        s.maxTrackedAddresses())));
                Players here = new Players()) {
            TestClient carol = here.connect(shallow, "carol");
            TestClient dave = here.connect(shallow, "dave");
            String id = carol.request(Req.create("shallow", 4, false))
                    .getLobbyState()
                    .getLobbyId();
            assertTrue(dave.request(Req.join(id)).hasLobbyState());
            carol.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2);
            Map<String, Long> seen = carol.lastSeqs();
            String carolsToken = carol.welcome().getWelcome().getResumeToken();
            carol.drop();
            TestNode.awaitCount(
                    () -> shallow.node().sessions().sessionsOf("carol").isEmpty(), "carol dropped");
            for (int i = 0; i < 5; i++) {
                assertTrue(dave.request(Req.chat(id, "missed " + i)).hasOk());
            }
            TestClient back = here.add(TestClient.connectResuming(shallow.playUri(), TestNode.token("carol"), 10));
            ServerFrame gap = back.request(Req.resume(carolsToken, seen));
            assertEquals(
                    io.tickroom.protocol.v1.ResumeFailedReason.RESUME_GAP,
                    gap.getError().getResumeFailedReason());
            assertTrue(gap.getError().getMessage().startsWith("gap:"), gap::toString);
            back.close();
            dave.close();
            shallow.awaitZeroCounts();
        }
    }

    @Test
    void aClientThatClosesOnPurposeLeavesAtOnceAndCannotResume() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String id = alice.request(Req.create("bye", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        String token = alice.welcome().getWelcome().getResumeToken();
        alice.close(); // close 1000: a deliberate leave
        assertEquals(
                "bob",
                bob.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 1)
                        .getLobbyState()
                        .getHostUserId());
        TestClient again = players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), 50));
        assertEquals(
                ErrorCode.RESUME_FAILED,
                again.request(Req.resume(token, Map.of())).getError().getCode());
    }

    @Test
    void aPlayerResumedMidMatchGetsItsSeatBackAndFreshSnapshots() throws Exception {
        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        var found = io.tickroom.server.testing.Games.startFromLobby("arena-sprint", List.of(alice, bob));
        String matchId = found.get(0).getMatchId();
        for (int i = 0; i < 2; i++) {
            assertTrue(List.of(alice, bob)
                    .get(i)
                    .request(io.tickroom.server.testing.Games.claim(found.get(i).getSeatToken()))
                    .hasMatchJoined());
        }
        alice.awaitPush(ServerFrame::hasMatchSnapshot);
        String token = alice.welcome().getWelcome().getResumeToken();
        Map<String, Long> seen = alice.lastSeqs();
        alice.drop();
        awaitDropped("alice");

        TestClient back =
                players.add(TestClient.connectResuming(node.playUri(), TestNode.token("alice"), alice.nextRequestId()));
        ServerFrame resumed = back.request(Req.resume(token, seen));
        assertEquals(matchId, resumed.getResumed().getMatchId(), "the seat is still hers");
        ServerFrame joined = back.awaitPush(ServerFrame::hasMatchJoined);
        assertEquals(matchId, joined.getMatchJoined().getMatchId());
        ServerFrame snapshot = back.awaitPush(ServerFrame::hasMatchSnapshot);
        assertTrue(
                io.tickroom.server.testing.Games.player(io.tickroom.server.testing.Games.arena(snapshot), "alice")
                        .isPresent(),
                "a fresh snapshot with her in it");
        for (TestClient p : List.of(back, bob)) {
            p.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setLeaveMatch(
                            io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(matchId)));
        }
    }
}
