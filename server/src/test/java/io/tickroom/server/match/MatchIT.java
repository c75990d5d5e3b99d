package io.tickroom.server.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.protocol.v1.MatchFound;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class MatchIT extends OneNodeIT {
    @Override
    protected TestNode startNode() throws Exception {
        return TestNode.start(Games.testModes());
    }

    static MatchFound found(TestClient c) throws InterruptedException {
        return c.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
    }

    /** Claims the seat and returns the match_joined reply. */
    static ServerFrame claim(TestClient c, MatchFound f) throws Exception {
        ServerFrame r = c.request(Games.claim(f.getSeatToken()));
        assertTrue(r.hasMatchJoined(), r::toString);
        return r;
    }

    @Test
    void lobbyToMatchInputsMovePlayersThenTheMatchEndsAndNothingRemains() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        var create = Req.create("to the arena", 2, false);
        create.getCreateLobbyBuilder().setMode("arena-short");
        String lobbyId = a.request(create).getLobbyState().getLobbyId();
        b.request(Req.join(lobbyId));
        assertEquals(
                ErrorCode.NOT_READY, a.request(Games.start(lobbyId)).getError().getCode());
        a.request(Req.ready(lobbyId, true));
        b.request(Req.ready(lobbyId, true));
        assertEquals(
                ErrorCode.FORBIDDEN, b.request(Games.start(lobbyId)).getError().getCode());
        assertTrue(a.request(Games.start(lobbyId)).hasOk());

        for (TestClient c : List.of(a, b)) {
            ServerFrame left = c.awaitPush(ServerFrame::hasLobbyLeft);
            assertEquals(LeftReason.MATCH_STARTED, left.getLobbyLeft().getReason());
        }
        MatchFound fa = found(a);
        MatchFound fb = found(b);
        assertEquals(fa.getMatchId(), fb.getMatchId());
        assertEquals(node.node().playUrl(), fa.getEndpoint());
        assertTrue(fa.getExpiresAtMs() > System.currentTimeMillis());
        assertEquals(
                0, a.request(Req.list("arena-short")).getLobbyList().getLobbiesCount(), "the lobby became the match");

        ServerFrame joined = claim(a, fa);
        assertEquals(List.of("alice", "bob"), joined.getMatchJoined().getPlayerUserIdsList());
        assertEquals(0, joined.getMatchJoined().getSeat());
        assertEquals(20, joined.getMatchJoined().getTickRateHz());
        claim(b, fb);

        // bob runs right; alice stands still
        long beforeUs = System.currentTimeMillis() * 1000;
        var first = Games.arena(b.awaitPush(ServerFrame::hasMatchSnapshot));
        long afterUs = (System.currentTimeMillis() + 1) * 1000;
        assertEquals(first.getServerTimeUs() / 1000, first.getServerTimeMs(), "the two stamps are one instant");
        assertTrue(
                first.getServerTimeUs() >= beforeUs - 60_000_000 && first.getServerTimeUs() <= afterUs,
                "server_time_us is wall-clock microseconds: " + first.getServerTimeUs());
        assertTrue(
                first.getServerTimeUs() % 1000 != 0
                        || Games.arena(b.awaitPush(ServerFrame::hasMatchSnapshot))
                                                .getServerTimeUs()
                                        % 1000
                                != 0,
                "finer than milliseconds (two stamps on whole milliseconds in a row: 1 in a million)");
        float bobX0 = Games.player(first, "bob").orElseThrow().getX();
        assertTrue(b.request(Games.move(fb.getMatchId(), 1, 0)).hasOk());
        var moved = Games.arena(b.awaitPush(f -> f.hasMatchSnapshot()
                && Games.player(Games.arena(f), "bob").orElseThrow().getX() > bobX0 + 1));
        assertTrue(moved.getTick() > first.getTick());
        float aliceX0 = Games.player(first, "alice").orElseThrow().getX();
        assertEquals(aliceX0, Games.player(moved, "alice").orElseThrow().getX());

        var stats = node.node().matches().stats(fa.getMatchId()).orElseThrow();
        assertTrue(stats.ticksRun() > 0, "per-match tick counters are readable in-process");
        assertTrue(node.node().scheduler().metrics().ticksRun > 0);
        ServerFrame ended = a.awaitPush(ServerFrame::hasMatchEnded);
        assertEquals("time up", ended.getMatchEnded().getReason());
        assertEquals("bob", ended.getMatchEnded().getResults(0).getUserId());
        assertEquals(1, ended.getMatchEnded().getResults(0).getRank());
        assertEquals("user:alice", ended.getStream());
        b.awaitPush(ServerFrame::hasMatchEnded);
        // after the end the match is gone: its token is refused and its seats are free
        assertEquals(
                ErrorCode.NOT_FOUND,
                a.request(Games.claim(fa.getSeatToken())).getError().getCode());
        TestNode.awaitCount(() -> node.node().counts().matches() == 0, "match not removed");
        assertEquals(0, node.node().counts().seatedUsers());
        assertEquals(0, node.node().scheduler().size());
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4, 8})
    void quickMatchFillsMatchesOfTheModeSize(int size) throws Exception {
        List<TestClient> players = new ArrayList<>();
        for (int i = 0; i < size * 2; i++) {
            TestClient c = connect("q" + size + "-" + i);
            players.add(c);
            ServerFrame queued = c.request(Games.quick("qm-" + size));
            assertTrue(queued.hasQuickMatchQueued(), queued::toString);
        }
        Set<String> matchIds = new HashSet<>();
        List<CompletableFuture<ServerFrame>> joins = new ArrayList<>();
        for (TestClient c : players) {
            MatchFound f = found(c);
            matchIds.add(f.getMatchId());
            joins.add(c.requestAsync(Games.claim(f.getSeatToken())));
        }
        assertEquals(2, matchIds.size(), "two full matches of " + size);
        for (CompletableFuture<ServerFrame> j : joins) {
            ServerFrame r = j.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(r.hasMatchJoined(), r::toString);
            assertEquals(size, r.getMatchJoined().getPlayerUserIdsCount());
        }
        for (TestClient c : players) {
            assertEquals(
                    size,
                    Games.arena(c.awaitPush(ServerFrame::hasMatchSnapshot)).getPlayersCount());
        }
        // no player is in two queues or matches: queuing again while in a match is refused
        assertEquals(
                ErrorCode.ALREADY_IN,
                players.get(0).request(Games.quick("qm-" + size)).getError().getCode());
        for (TestClient c : players) {
            c.awaitPush(ServerFrame::hasMatchEnded);
        }
    }

    @Test
    void cancelAndDisconnectLeaveTheQueue() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        assertTrue(a.request(Games.quick("qm-4")).hasQuickMatchQueued());
        assertEquals(
                ErrorCode.ALREADY_IN, a.request(Games.quick("qm-4")).getError().getCode());
        assertTrue(b.request(Games.quick("qm-4")).hasQuickMatchQueued());
        assertTrue(a.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                        .setCancelQuickMatch(io.tickroom.protocol.v1.CancelQuickMatch.getDefaultInstance()))
                .hasOk());
        b.close();
        TestNode.awaitCount(() -> node.node().counts().queued() == 0, "queue not emptied");
    }

    @Test
    void aDroppedPlayerReclaimsTheSeatWithinGraceAndLosesItAfter() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("grace"));
        b.request(Games.quick("grace"));
        MatchFound fa = found(a);
        MatchFound fb = found(b);
        claim(a, fa);
        claim(b, fb);
        b.awaitPush(ServerFrame::hasMatchSnapshot);

        // a drop (no close frame, the server sees 1006), not a deliberate close, which gives the seat up
        a.drop();
        b.awaitPush(f -> f.hasMatchSnapshot()
                && !Games.player(Games.arena(f), "alice").orElseThrow().getConnected());
        TestClient a2 = connect("alice");
        ServerFrame back = claim(a2, fa);
        assertEquals(0, back.getMatchJoined().getSeat());
        var snap = Games.arena(a2.awaitPush(ServerFrame::hasMatchSnapshot));
        assertEquals(2, snap.getPlayersCount(), "the returning player gets the full state on the next tick");
        b.awaitPush(f -> f.hasMatchSnapshot()
                && Games.player(Games.arena(f), "alice").orElseThrow().getConnected());

        // drop again and stay away past the 1.5 s grace: the seat is released
        a2.drop();
        b.awaitPush(f ->
                f.hasMatchSnapshot() && Games.player(Games.arena(f), "alice").isEmpty());
        TestClient a3 = connect("alice");
        ServerFrame late = a3.request(Games.claim(fa.getSeatToken()));
        assertEquals(ErrorCode.EXPIRED, late.getError().getCode(), late::toString);
        // bob, alone, leaves: the match is abandoned and ends
        assertTrue(b.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                        .setLeaveMatch(
                                io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(fb.getMatchId())))
                .hasOk());
        assertTrue(b.awaitPush(ServerFrame::hasMatchEnded)
                .getMatchEnded()
                .getReason()
                .startsWith("abandoned"));
    }

    @Test
    void aDeliberateCloseOfTheLastConnectionGivesTheSeatUpAtOnce() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("arena-duel")); // a 30 s reconnect grace
        b.request(Games.quick("arena-duel"));
        MatchFound fa = found(a);
        MatchFound fb = found(b);
        claim(a, fa);
        claim(b, fb);
        b.awaitPush(f ->
                f.hasMatchSnapshot() && Games.player(Games.arena(f), "alice").isPresent());

        a.close(); // 1000: the player quit, it did not drop
        // released within the test's 10 s wait, so not by the 30 s grace
        b.awaitPush(f ->
                f.hasMatchSnapshot() && Games.player(Games.arena(f), "alice").isEmpty());
        TestClient rerun = connect("alice");
        ServerFrame lobby = rerun.request(Req.create("again", 2, false));
        assertTrue(lobby.hasLobbyState(), () -> "a rerun client is in no match: " + lobby);
        assertTrue(rerun.request(Req.leave(lobby.getLobbyState().getLobbyId())).hasOk());
        assertEquals(
                ErrorCode.EXPIRED,
                rerun.request(Games.claim(fa.getSeatToken())).getError().getCode(),
                "the seat is gone, as after leave_match");
        assertTrue(b.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                        .setLeaveMatch(
                                io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(fb.getMatchId())))
                .hasOk());
        assertTrue(b.awaitPush(ServerFrame::hasMatchEnded)
                .getMatchEnded()
                .getReason()
                .startsWith("abandoned"));
    }

    @Test
    void closingOneOfTwoConnectionsKeepsTheSeatForTheOther() throws Exception {
        TestClient a = connect("alice");
        TestClient otherTab = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("arena-duel"));
        b.request(Games.quick("arena-duel"));
        MatchFound fa = found(a);
        claim(a, fa);
        claim(b, found(b));
        a.close(); // not the user's last connection: a drop, the seat is held for the grace
        b.awaitPush(f -> f.hasMatchSnapshot()
                && Games.player(Games.arena(f), "alice")
                        .map(p -> !p.getConnected())
                        .orElse(false));
        assertEquals(0, claim(otherTab, fa).getMatchJoined().getSeat(), "the other tab takes the seat back");
        b.awaitPush(f -> f.hasMatchSnapshot()
                && Games.player(Games.arena(f), "alice")
                        .map(p -> p.getConnected())
                        .orElse(false));
    }

    @Test
    void alreadyInNamesTheMatchSoTheClientCanGoBackToIt() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("grace"));
        b.request(Games.quick("grace"));
        MatchFound fa = found(a);
        claim(a, fa);
        claim(b, found(b));
        TestClient tab = connect("alice");
        ServerFrame create = tab.request(Req.create("x", 2, false));
        assertEquals(ErrorCode.ALREADY_IN, create.getError().getCode());
        assertTrue(create.getError().getMessage().contains("match " + fa.getMatchId()), create::toString);
        ServerFrame queue = tab.request(Games.quick("qm-2"));
        assertEquals(ErrorCode.ALREADY_IN, queue.getError().getCode());
        assertTrue(queue.getError().getMessage().contains("match " + fa.getMatchId()), queue::toString);
    }

    @Test
    void theLobbysAttributesAreTheMatchsSettings() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id = a.request(Req.create("settings", "settings", java.util.Map.of("rope", "5", "map", "dust")))
                .getLobbyState()
                .getLobbyId();
        // changed before the start: the match gets the state at the start
        a.request(Req.update(id, java.util.Map.of("map", "nuke"), List.of()));
        b.request(Req.join(id));
        a.request(Req.ready(id, true));
        b.request(Req.ready(id, true));
        assertTrue(a.request(Games.start(id)).hasOk());
        claim(a, found(a));
        claim(b, found(b));
        assertEquals(
                "map=nuke,rope=5",
                b.awaitPush(ServerFrame::hasMatchSnapshot)
                        .getMatchSnapshot()
                        .getPayload()
                        .toStringUtf8());
    }

    @Test
    void quickMatchOnAModeWithoutItIsUnsupported() throws Exception {
        ServerFrame r = connect("alice").request(Games.quick("settings"));
        assertEquals(ErrorCode.UNSUPPORTED, r.getError().getCode(), r::toString);
        // and the matchmaker passes the mode by: its sweeps never fail on it
        var quick = node.node().quickMatch();
        long seen = quick.sweeps();
        TestNode.awaitCount(() -> quick.sweeps() >= seen + 3, "the matchmaker sweeps");
        assertEquals(0, quick.sweepFailures(), "no sweep failed on a mode without quick match");
    }

    @Test
    void forgedExpiredReusedAndForeignSeatTokensAreRefused() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("short-ttl"));
        b.request(Games.quick("short-ttl"));
        MatchFound fa = found(a);
        MatchFound fb = found(b);

        String forged = fa.getSeatToken().substring(0, fa.getSeatToken().length() - 4) + "AAAA";
        assertEquals(
                ErrorCode.UNAUTHENTICATED,
                a.request(Games.claim(forged)).getError().getCode());
        assertEquals(
                ErrorCode.UNAUTHENTICATED,
                a.request(Games.claim("v1.garbage")).getError().getCode());
        assertEquals(
                ErrorCode.FORBIDDEN,
                a.request(Games.claim(fb.getSeatToken())).getError().getCode(),
                "someone else's token");

        claim(a, fa);
        TestClient a2 = connect("alice");
        assertEquals(
                ErrorCode.CONFLICT,
                a2.request(Games.claim(fa.getSeatToken())).getError().getCode(),
                "the seat is held by a live connection");

        // bob never claims: after the 600 ms reservation the match starts short-handed and bob's
        // unclaimed seat is released; his token no longer opens it
        a.awaitPush(ServerFrame::hasMatchSnapshot);
        ServerFrame expired = b.request(Games.claim(fb.getSeatToken()));
        assertEquals(ErrorCode.EXPIRED, expired.getError().getCode(), expired::toString);
        a.request(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                .setLeaveMatch(io.tickroom.protocol.v1.LeaveMatch.newBuilder().setMatchId(fa.getMatchId())));
        a.awaitPush(ServerFrame::hasMatchEnded);
    }

    @Test
    void unclaimedSeatsAbortAMatchThatMayNotStartShortHanded() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("strict-ttl"));
        b.request(Games.quick("strict-ttl"));
        claim(a, found(a));
        found(b); // bob never claims
        ServerFrame ended = a.awaitPush(ServerFrame::hasMatchEnded);
        assertTrue(ended.getMatchEnded().getReason().startsWith("aborted"), ended::toString);
        assertTrue(b.awaitPush(ServerFrame::hasMatchEnded)
                .getMatchEnded()
                .getReason()
                .startsWith("aborted"));
    }

    @Test
    void aFailingGameEndsOnlyItsOwnMatch() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");
        TestClient d = connect("dave");
        a.request(Games.quick("boom"));
        b.request(Games.quick("boom"));
        c.request(Games.quick("grace"));
        d.request(Games.quick("grace"));
        for (TestClient x : List.of(a, b, c, d)) {
            claim(x, found(x));
        }
        ServerFrame ended = a.awaitPush(ServerFrame::hasMatchEnded);
        assertEquals("internal error", ended.getMatchEnded().getReason());
        b.awaitPush(ServerFrame::hasMatchEnded);
        // the other match keeps ticking: fresh snapshots keep coming after the failure
        long t1 = c.awaitPush(ServerFrame::hasMatchSnapshot).getMatchSnapshot().getTick();
        long t2 = c.awaitPush(f -> f.hasMatchSnapshot() && f.getMatchSnapshot().getTick() > t1 + 5)
                .getMatchSnapshot()
                .getTick();
        assertTrue(t2 > t1);
        assertFalse(c.drainPushes().stream().anyMatch(ServerFrame::hasMatchEnded));
        c.close();
        d.close();
    }

    @Test
    void aFullInboxAnswersRateLimitedNeverSilence() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        a.request(Games.quick("slow-inbox"));
        b.request(Games.quick("slow-inbox"));
        MatchFound fa = found(a);
        claim(a, fa);
        claim(b, found(b));
        a.awaitPush(ServerFrame::hasMatchSnapshot);
        // one tick per second, 16 commands between ticks: the 17th and later are refused at once
        List<CompletableFuture<ServerFrame>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(a.requestAsync(Games.move(fa.getMatchId(), 0, 1)));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .get(10, java.util.concurrent.TimeUnit.SECONDS);
        long limited = answers.stream()
                .map(CompletableFuture::join)
                .filter(f -> f.hasError() && f.getError().getCode() == ErrorCode.RATE_LIMITED)
                .count();
        long ok = answers.stream()
                .map(CompletableFuture::join)
                .filter(ServerFrame::hasOk)
                .count();
        assertTrue(limited >= 1, "some inputs were refused");
        assertEquals(40, limited + ok, "every input got exactly one answer");
        a.close();
        b.close();
    }

    /**
     * Issue 12: match_input payloads were uncapped and parsed on the tick thread (60 KB inputs at
     * 150/s made every match on the thread late). Past the mode's cap an input is refused
     * INVALID_ARGUMENT on the thread that decoded it, before the match's inbox; inputs within
     * the cap still move the player.
     */
    @Test
    void anInputOverTheModesCapIsRefusedBeforeTheInbox() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        List<MatchFound> found = Games.startFromLobby("grace", List.of(a, b)); // a short grace: it ends once both leave
        claim(a, found.get(0));
        claim(b, found.get(1));
        a.awaitPush(ServerFrame::hasMatchSnapshot);
        String matchId = found.get(0).getMatchId();
        com.google.protobuf.ByteString huge = com.google.protobuf.ByteString.copyFrom(new byte[60_000]);
        List<CompletableFuture<ServerFrame>> answers = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            answers.add(a.requestAsync(io.tickroom.protocol.v1.ClientFrame.newBuilder()
                    .setMatchInput(io.tickroom.protocol.v1.MatchInput.newBuilder()
                            .setMatchId(matchId)
                            .setPayload(huge))));
        }
        for (CompletableFuture<ServerFrame> f : answers) {
            ServerFrame r = f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertEquals(ErrorCode.INVALID_ARGUMENT, r.getError().getCode(), r::toString);
            assertTrue(
                    r.getError()
                            .getMessage()
                            .contains("at most " + io.tickroom.server.match.GameMode.DEFAULT_MAX_INPUT_BYTES),
                    r::toString);
        }
        assertTrue(a.request(Games.move(matchId, 1, 0)).hasOk(), "an input within the cap is served");
        a.close();
        b.close();
    }
}
