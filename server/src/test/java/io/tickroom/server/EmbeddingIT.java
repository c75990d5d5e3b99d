package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.MatchFound;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.config.ConfigException;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.MatchContext;
import io.tickroom.server.match.MatchLogic;
import io.tickroom.server.match.Player;
import io.tickroom.server.match.Result;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.RawHandshake;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A studio's own {@code main}: {@link TickroomServer#builder()} with its own game mode, and a client plays it. */
@Timeout(60)
class EmbeddingIT {

    /** The studio's game: echoes each input to everyone, then ends the match. */
    static final class Echo implements MatchLogic {
        @Override
        public void onStart(MatchContext ctx, List<Player> players) {
            ctx.broadcastSnapshot(ByteString.copyFromUtf8("started"));
        }

        @Override
        public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {
            ctx.broadcastSnapshot(ByteString.copyFromUtf8(player.userId() + " said " + payload.toStringUtf8()));
            ctx.end("echoed", List.of(new Result(player.userId(), 1, 1)));
        }

        @Override
        public void onTick(MatchContext ctx, long tick) {}
    }

    /** One player opens a lobby of {@code mode} (room for two), readies up and starts it; their match_found. */
    static MatchFound startAlone(String mode, TestClient player) throws Exception {
        var create = Req.create(mode + " lobby", 2, false);
        create.getCreateLobbyBuilder().setMode(mode);
        String id = player.request(create).getLobbyState().getLobbyId();
        assertTrue(player.request(Req.ready(id, true)).hasOk());
        assertTrue(player.request(Games.start(id)).hasOk());
        return player.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
    }

    static NetConfig localNet() {
        return TestNode.config().net();
    }

    @Test
    void aNodeBuiltWithItsOwnModeServesAClientThatPlaysIt() throws Exception {
        try (TickroomServer server = TickroomServer.builder()
                .nodeId("studio")
                .jwtSecret(TestNode.SECRET)
                .net(localNet())
                .modes(List.of(GameMode.of("echo", 1, 2, 1, Echo::new)))
                .start()) {
            assertEquals("ws://127.0.0.1:" + server.port() + "/ws/play", server.playUrl());
            try (TestClient alice = TestClient.connect(URI.create(server.playUrl()), TestNode.token("alice"))) {
                MatchFound found = startAlone("echo", alice);
                assertTrue(alice.request(Games.claim(found.getSeatToken())).hasMatchJoined());
                // the match runs from its next tick (onStart): an input before that is NOT_READY
                alice.awaitPush(f -> f.hasMatchSnapshot()
                        && f.getMatchSnapshot().getPayload().toStringUtf8().equals("started"));
                alice.send(ClientFrame.newBuilder()
                        .setMatchInput(MatchInput.newBuilder()
                                .setMatchId(found.getMatchId())
                                .setPayload(ByteString.copyFromUtf8("hello")))
                        .build());
                alice.awaitPush(f -> f.hasMatchSnapshot()
                        && f.getMatchSnapshot().getPayload().toStringUtf8().equals("alice said hello"));
                ServerFrame ended = alice.awaitPush(ServerFrame::hasMatchEnded);
                assertEquals("echoed", ended.getMatchEnded().getReason());
            }
            assertTrue(server.node().health().toJson().contains("\"node\":\"studio\""));
        }
    }

    @Test
    void theStudiosOwnAuthenticatorDecidesWhoGetsIn() throws Exception {
        try (TickroomServer server = TickroomServer.builder()
                .jwtSecret(TestNode.SECRET)
                .net(localNet())
                .authenticator(token -> {
                    if (!token.startsWith("studio-session-")) {
                        throw new AuthException("not a studio session");
                    }
                    String user = token.substring("studio-session-".length());
                    return new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty());
                })
                .start()) {
            try (TestClient bob = TestClient.connect(URI.create(server.playUrl()), "studio-session-bob")) {
                assertEquals("bob", bob.welcome().getWelcome().getUserId());
            }
            assertEquals(
                    401,
                    RawHandshake.upgrade(
                                    server.port(),
                                    "/ws/play",
                                    Map.of("Authorization", "Bearer " + TestNode.token("carol")))
                            .status(),
                    "a JWT is not a studio session");
        }
    }

    @Test
    void aBadConfigurationFailsAtTheBuilderNamingTheSetting() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> TickroomServer.builder().jwtSecret("short").start());
        assertTrue(e.getMessage().startsWith("--jwt-secret"), e.getMessage());
    }
}
