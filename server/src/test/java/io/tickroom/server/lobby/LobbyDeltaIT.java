package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.GetLobby;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A big lobby's member changes reach its members as coalesced deltas, and every member's view,
 * built from its join answer and the pushes alone, is the directory's state; the bytes pushed per
 * change stay O(change), not O(members).
 */
class LobbyDeltaIT extends OneNodeIT {
    private static final int MEMBERS = 48;

    @Override
    protected TestNode startNode() throws Exception {
        LobbyConfig d = LobbyConfig.defaults();
        return TestNode.start(c -> c.withLobby(new LobbyConfig(
                d.maxLobbies(),
                d.minPlayers(),
                256,
                d.maxNameChars(),
                100_000,
                100_000,
                d.joinCodeFailuresPerMinute(),
                d.abandonedHoldMs())));
    }

    private static ClientFrame.Builder get(String lobbyId) {
        return ClientFrame.newBuilder().setGetLobby(GetLobby.newBuilder().setLobbyId(lobbyId));
    }

    /** The member's view: its join answer, then every push of the lobby's stream in order. */
    private static Lobby view(LobbyState joined, List<ServerFrame> pushes) {
        Lobby v = LobbyCodec.lobby(joined);
        for (ServerFrame f : pushes) {
            if (f.hasLobbyState() && f.getLobbyState().getVersion() > v.version()) {
                v = LobbyCodec.lobby(f.getLobbyState());
            } else if (f.hasLobbyDelta()) {
                Lobby at = v;
                v = LobbyCodec.apply(v, f.getLobbyDelta())
                        .orElseThrow(() -> new AssertionError("a delta that does not follow on: " + f + " at " + at));
            }
        }
        return v;
    }

    @Test
    void membersOfABigLobbyFollowItFromDeltasAndSeeExactlyTheDirectorysState() throws Exception {
        TestClient host = connect("host");
        LobbyState created = host.request(Req.create("hub", "lounge", Map.of())).getLobbyState();
        String id = created.getLobbyId();
        List<TestClient> clients = new ArrayList<>();
        for (int i = 1; i < MEMBERS; i++) {
            clients.add(connect("p" + i));
        }
        // everyone joins at once: the lobby's lock orders them, the deltas coalesce what lands within 50 ms
        List<CompletableFuture<ServerFrame>> joins = new ArrayList<>();
        for (TestClient c : clients) {
            joins.add(c.requestAsync(Req.join(id)));
        }
        List<LobbyState> answers = new ArrayList<>();
        for (CompletableFuture<ServerFrame> j : joins) {
            ServerFrame f = j.get();
            assertTrue(f.hasLobbyState(), () -> "join: " + f);
            answers.add(f.getLobbyState());
        }
        String firstJoined = answers.get(0).getMembers(1).getUserId(); // whoever won the race of the joins
        int leaver = firstJoined.equals("p6") ? 6 : 5;
        assertTrue(clients.get(3).request(Req.ready(id, true)).hasOk());
        assertTrue(clients.get(leaver).request(Req.leave(id)).hasOk());
        ServerFrame back = clients.get(leaver).request(Req.join(id)); // back, last in join order
        answers.set(leaver, back.getLobbyState()); // its view restarts there (older pushes are older versions)
        assertTrue(host.request(Req.leave(id)).hasOk()); // the host hands over
        assertTrue(host.request(Req.join(id)).hasLobbyState());

        long lookedUp = LobbyCodec.membersLookedUp();
        LobbyState truth = clients.get(0).request(get(id)).getLobbyState();
        assertEquals(
                0,
                LobbyCodec.membersLookedUp() - lookedUp,
                "an unchanged lobby's answer is its kept last answer, copied");
        assertEquals(MEMBERS, truth.getMembersCount());
        assertEquals(firstJoined, truth.getHostUserId(), "the longest-standing member hosts");
        assertEquals("p" + (leaver + 1), truth.getMembers(MEMBERS - 2).getUserId());
        assertEquals("host", truth.getMembers(MEMBERS - 1).getUserId());
        Lobby expected = LobbyCodec.lobby(truth);

        for (int i = 0; i < clients.size(); i++) {
            TestClient c = clients.get(i);
            List<ServerFrame> seen = new ArrayList<>();
            // the last change's delta follows the answers within the 50 ms window: wait for it
            seen.add(c.awaitPush(f -> f.getStream().equals("lobby:" + id)
                            && (f.hasLobbyDelta() && f.getLobbyDelta().getVersion() >= truth.getVersion()
                                    || f.hasLobbyState() && f.getLobbyState().getVersion() >= truth.getVersion())
                    || collect(seen, f, id)));
            Lobby v = view(answers.get(i), seen);
            assertEquals(expected, v, "the view of p" + (i + 1));
        }

        // no whole state after 16 members, and the pushes of the big lobby are small
        List<ServerFrame> hostSaw = host.received().stream()
                .filter(f -> f.getStream().equals("lobby:" + id))
                .toList();
        long deltas = hostSaw.stream().filter(ServerFrame::hasLobbyDelta).count();
        assertTrue(deltas > 0, "deltas pushed");
        for (ServerFrame f : hostSaw) {
            if (f.hasLobbyState()) {
                assertTrue(
                        f.getLobbyState().getMembersCount() <= LobbyPushes.DELTA_ABOVE_MEMBERS,
                        () -> "a whole state of a big lobby: "
                                + f.getLobbyState().getMembersCount() + " members");
            }
        }
        long deltaBytes = hostSaw.stream()
                .filter(ServerFrame::hasLobbyDelta)
                .mapToLong(ServerFrame::getSerializedSize)
                .sum();
        long wholeStateBytes = 0; // what one whole state per change would have cost from the 17th member on
        for (int n = LobbyPushes.DELTA_ABOVE_MEMBERS + 1; n <= MEMBERS; n++) {
            wholeStateBytes += truth.getSerializedSize() * (long) n / MEMBERS;
        }
        assertTrue(
                deltaBytes * 4 < wholeStateBytes, "delta bytes " + deltaBytes + " vs whole states " + wholeStateBytes);

        TestClient stranger = connect("stranger");
        ServerFrame refused = stranger.request(get(id));
        assertEquals(ErrorCode.NOT_FOUND, refused.getError().getCode(), "a non-member gets no state");
        TestNode.awaitCount(() -> node.node().lobbyDeltaRunsPending() == 0, "delta runs left pending");

        // the kept answer (the views above prove the answers right) goes with the lobby
        assertTrue(LobbyCodec.keepsAnswerOf(id), "a lobby of " + MEMBERS + " keeps its last state answer");
        for (TestClient c : clients) {
            assertTrue(c.request(Req.leave(id)).hasOk());
        }
        assertTrue(host.request(Req.leave(id)).hasOk());
        assertFalse(LobbyCodec.keepsAnswerOf(id), "the kept answer of a lobby that is gone");
    }

    /** Keeps the frames of the lobby's stream that do not end the wait, in order. */
    private static boolean collect(List<ServerFrame> seen, ServerFrame f, String id) {
        if (f.getStream().equals("lobby:" + id)) {
            seen.add(f);
        }
        return false;
    }
}
