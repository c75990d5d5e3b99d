package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.MatchContext;
import io.tickroom.server.match.MatchLogic;
import io.tickroom.server.match.Player;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import io.tickroom.server.thread.FatalErrorHandler;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An {@link Error} escaping one of the node's threads goes to its one fatal-error handler (in a
 * process: a log line and halt(70)). Here the handler is injected and records what it is given.
 */
@Timeout(60)
class FatalErrorIT {
    record Fatal(Thread thread, Error error) {}

    final BlockingQueue<Fatal> fatal = new ArrayBlockingQueue<>(16);
    final FatalErrorHandler recording = (thread, error) -> fatal.add(new Fatal(thread, error));

    static final AssertionError IN_THE_GAME = new AssertionError("a broken invariant in the game");
    static final OutOfMemoryError AT_CREATION = new OutOfMemoryError("simulated: no heap for a new match");

    /** A game whose tick throws an Error once it has started. */
    static final class BrokenTick implements MatchLogic {
        @Override
        public void onStart(MatchContext ctx, List<Player> players) {}

        @Override
        public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {}

        @Override
        public void onTick(MatchContext ctx, long tick) {
            throw IN_THE_GAME;
        }
    }

    TickroomServer start(GameMode mode) throws Exception {
        return TickroomServer.builder()
                .nodeId("fatal")
                .jwtSecret(TestNode.SECRET)
                .net(TestNode.config().net())
                .modes(List.of(mode))
                .onFatalError(recording)
                .start();
    }

    Fatal next() throws InterruptedException {
        Fatal f = fatal.poll(10, TimeUnit.SECONDS);
        assertTrue(f != null, "the fatal-error handler was called");
        return f;
    }

    @Test
    void anErrorFromAMatchsTickReachesTheHandlerOnTheTickThread() throws Exception {
        try (TickroomServer server = start(
                        GameMode.of("broken-tick", 1, 2, 1, BrokenTick::new).withTiming(20, 600, 1_000, true));
                TestClient alice = TestClient.connect(URI.create(server.playUrl()), TestNode.token("alice"))) {
            var found = EmbeddingIT.startAlone("broken-tick", alice);
            alice.request(Games.claim(found.getSeatToken())); // the match starts once its seat is taken
            Fatal f = next();
            assertSame(IN_THE_GAME, f.error());
            assertTrue(
                    f.thread().getName().startsWith("tickroom-tick-"),
                    f.thread().getName());
        }
    }

    @Test
    void aVirtualMachineErrorFromARequestHandlerReachesTheHandlerOnTheLaneThread() throws Exception {
        try (TickroomServer server = start(GameMode.of("no-heap", 1, 2, 1, () -> {
                    throw AT_CREATION; // the match is created by the start_match request, on the session's lane
                }));
                TestClient alice = TestClient.connect(URI.create(server.playUrl()), TestNode.token("alice"))) {
            var create = Req.create("doomed", 2, false);
            create.getCreateLobbyBuilder().setMode("no-heap");
            String id = alice.request(create).getLobbyState().getLobbyId();
            assertTrue(alice.request(Req.ready(id, true)).hasOk());
            ServerFrame answer = alice.request(Games.start(id));
            assertEquals(ErrorCode.INTERNAL, answer.getError().getCode(), "the request is still answered");
            Fatal f = next();
            assertSame(AT_CREATION, f.error());
            assertTrue(
                    f.thread().getName().startsWith("tickroom-lane-fatal-"),
                    f.thread().getName());
            TestClient again = TestClient.connect(URI.create(server.playUrl()), TestNode.token("bob"));
            assertTrue(again.request(Req.ping()).hasPong(), "in a test the handler returns and the pool goes on");
            again.close();
        }
    }
}
