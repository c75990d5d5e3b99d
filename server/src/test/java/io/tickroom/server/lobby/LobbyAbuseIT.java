package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12, lobby squatting and join-code guessing: accounts that create and drop could hold
 * --max-lobbies for the whole resume grace with no socket open, one user could create lobbies
 * without end, and join codes could be guessed 52 times a second with no lock-out.
 */
@Timeout(60)
class LobbyAbuseIT {
    final Players players = new Players();
    TestNode node;

    TestNode start(UnaryOperator<LobbyConfig> lobby, long resumeGraceMs) throws Exception {
        node = TestNode.start(
                c -> c.withLobby(lobby.apply(c.lobby())).withSession(c.session().withResumeGraceMs(resumeGraceMs)));
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        players.close();
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aLobbyWhoseEveryMemberDroppedStopsCountingAgainstTheCapAfterTheShortHold() throws Exception {
        long holdMs = 5_000;
        start(l -> l.withMaxLobbies(5).withAbandonedHoldMs(holdMs), 120_000);
        TestClient bob = players.connect(node, "bob");
        String bobs =
                bob.request(Req.create("still here", 4, false)).getLobbyState().getLobbyId();
        TestClient stays = players.connect(node, "stays");
        TestClient leaves = players.connect(node, "leaves");
        String half =
                stays.request(Req.create("half gone", 4, false)).getLobbyState().getLobbyId();
        assertTrue(leaves.request(Req.join(half)).hasLobbyState());
        for (int i = 0; i < 3; i++) {
            TestClient squatter = node.connect("squatter-" + i);
            assertTrue(squatter.request(Req.create("squat " + i, 4, false)).hasLobbyState());
            squatter.drop();
        }
        leaves.drop();
        for (String u : new String[] {"squatter-0", "squatter-1", "squatter-2", "leaves"}) {
            TestNode.awaitCount(() -> node.node().sessions().sessionsOf(u).isEmpty(), u + " dropped");
        }
        long droppedAtNs = System.nanoTime();

        TestClient carol = players.connect(node, "carol");
        ServerFrame full = carol.request(Req.create("mine", 4, false));
        assertEquals(ErrorCode.UNAVAILABLE, full.getError().getCode(), "within the hold they count: " + full);
        assertTrue(System.nanoTime() - droppedAtNs < holdMs * 1_000_000, "refused within the hold");

        // the hold is a time: wait for it to pass (no event marks it)
        Await.until(() -> System.nanoTime() - droppedAtNs > holdMs * 1_000_000, Duration.ofSeconds(15), () -> "hold");
        ServerFrame made = carol.request(Req.create("mine", 4, false));
        assertTrue(made.hasLobbyState(), "past the hold the abandoned lobbies make room: " + made);
        assertEquals(
                3,
                node.node().directory().count(),
                "bob's, the half-gone one and carol's: "
                        + node.node().directory().count());
        assertTrue(node.node().directory().get(bobs).isPresent(), "a lobby with a member online stays");
        assertTrue(node.node().directory().get(half).isPresent(), "so does one with a member left");
        assertTrue(node.node().directory().get(half).get().hasMember("leaves"), "and its dropped member's seat");
    }

    @Test
    void lobbyCreationIsRateLimitedPerUserAndPerAddress() throws Exception {
        start(l -> l.withCreatesPerMinute(3, 5), 3_000);
        TestClient maker = players.connect(node, "maker");
        for (int i = 0; i < 3; i++) {
            String id = maker.request(Req.create("again " + i, 4, false))
                    .getLobbyState()
                    .getLobbyId();
            assertTrue(maker.request(Req.leave(id)).hasOk());
        }
        ServerFrame fourth = maker.request(Req.create("again 3", 4, false));
        assertEquals(ErrorCode.RATE_LIMITED, fourth.getError().getCode(), fourth::toString);
        assertTrue(fourth.getError().getMessage().contains("by this user"), fourth::toString);

        assertTrue(
                players.connect(node, "a1").request(Req.create("a1", 4, false)).hasLobbyState());
        assertTrue(
                players.connect(node, "a2").request(Req.create("a2", 4, false)).hasLobbyState());
        ServerFrame sixth = players.connect(node, "a3").request(Req.create("a3", 4, false));
        assertEquals(ErrorCode.RATE_LIMITED, sixth.getError().getCode(), "the address's fifth was its last: " + sixth);
        assertTrue(sixth.getError().getMessage().contains("from this address"), sixth::toString);
    }

    @Test
    void wrongJoinCodesSpendAPerUserBudgetAfterWhichNoCodeIsTried() throws Exception {
        start(l -> l.withJoinCodeFailuresPerMinute(10), 3_000);
        TestClient host = players.connect(node, "host");
        String code =
                host.request(Req.create("secret", 4, true)).getLobbyState().getJoinCode();
        TestClient guesser = players.connect(node, "guesser");
        int guesses = 0;
        ServerFrame answer;
        do {
            String guess = String.format("ZZZ%03d", guesses).replace('0', '2').replace('1', '3');
            answer = guesser.request(Req.joinByCode(guess.equals(code) ? "ZZZZZZ" : guess));
            guesses++;
        } while (answer.getError().getCode() == ErrorCode.NOT_FOUND && guesses < 100);
        assertEquals(ErrorCode.RATE_LIMITED, answer.getError().getCode(), answer::toString);
        assertEquals(11, guesses, "ten wrong codes, then the budget is spent");
        assertEquals(
                ErrorCode.RATE_LIMITED,
                guesser.request(Req.joinByCode(code)).getError().getCode(),
                "even the right code: guessing learns nothing");
        assertTrue(
                players.connect(node, "friend").request(Req.joinByCode(code)).hasLobbyState(),
                "another user's budget is its own");
    }
}
