package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.RefreshToken;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Tokens;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.Players;
import io.tickroom.server.testing.RawHandshake;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Each admission limit and the token expiry, hit for real. */
@Timeout(60)
class HardeningIT {
    final Players players = new Players();
    TestNode node;

    TestNode start(int maxSessionsPerUser, int maxConnectionsPerIp, int handshakesPerSecond, int handshakeBurst)
            throws Exception {
        node = TestNode.start(c -> c.withSession(new SessionConfig(3_000, 256, 64, 2_000, maxSessionsPerUser,
                maxConnectionsPerIp, handshakesPerSecond, handshakeBurst, 100_000)));
        return node;
    }

    @AfterEach
    void stop() throws Exception {
        players.close();
        if (node != null) {
            node.awaitZeroCounts();
            TestNode.awaitCount(() -> node.node().gatewayAddressesOpen() == 0, "per-address counts back to zero");
            node.close();
        }
    }

    static Map<String, String> bearer(String user) {
        return Map.of("Authorization", "Bearer " + TestNode.token(user));
    }

    @Test
    void connectionsPerAddressAreCappedWith429AndFreedOnClose() throws Exception {
        start(8, 3, 1_000, 1_000);
        TestClient first = players.connect(node, "a");
        players.connect(node, "b");
        players.connect(node, "c");
        RawHandshake.Response refused = RawHandshake.upgrade(node.port(), "/ws/play", bearer("d"));
        assertEquals(429, refused.status(), refused.body());
        assertEquals("1", refused.headers().get("retry-after"));
        assertTrue(refused.body().contains("too many open connections"), refused.body());
        assertTrue(first.request(Req.ping()).hasPong(), "the open ones carry on");
        first.close();
        TestNode.awaitCount(() -> node.node().counts().sessions() == 2, "one closed");
        assertTrue(players.connect(node, "d").request(Req.ping()).hasPong(), "a freed slot is usable again");
    }

    @Test
    void handshakeFloodsFromOneAddressGet429() throws Exception {
        start(8, 1_000, 1, 3);
        int ok = 0;
        int limited = 0;
        for (int i = 0; i < 10; i++) {
            // a bad token still costs a handshake: the rate is checked before the token
            int status = RawHandshake.upgrade(node.port(), "/ws/play", Map.of("Authorization", "Bearer nope")).status();
            if (status == 429) {
                limited++;
            } else {
                assertEquals(401, status);
                ok++;
            }
        }
        assertTrue(limited >= 4, ok + " through, " + limited + " limited (burst 3, 1/s)");
        assertEquals(limited, node.node().handshakesRefused());
    }

    @Test
    void sessionsPerUserAreCappedAndTheOpenOnesStay() throws Exception {
        start(2, 1_000, 1_000, 1_000);
        TestClient tab1 = players.connect(node, "multi");
        TestClient tab2 = players.connect(node, "multi");
        RawHandshake.Response third = RawHandshake.upgrade(node.port(), "/ws/play", bearer("multi"));
        assertEquals(429, third.status());
        assertTrue(third.body().contains("too many sessions for this user"), third.body());
        assertTrue(tab1.request(Req.ping()).hasPong());
        assertTrue(tab2.request(Req.ping()).hasPong());
        assertTrue(players.connect(node, "someone-else").request(Req.ping()).hasPong());
    }

    @Test
    void anExpiredTokenClosesTheSessionUnlessItWasRefreshed() throws Exception {
        start(8, 1_000, 1_000, 1_000);
        Instant soon = Instant.now().plus(Duration.ofSeconds(3));
        TestClient lapsing = players.add(TestClient.connect(node.playUri(),
                Tokens.mint(TestNode.SECRET, "lapsing", "lapsing", List.of(), soon, null)));
        TestClient renewing = players.add(TestClient.connect(node.playUri(),
                Tokens.mint(TestNode.SECRET, "renewing", "renewing", List.of(), soon, null)));
        assertEquals(soon.getEpochSecond() * 1000, lapsing.welcome().getWelcome().getTokenExpiresAtMs());

        String fresh = Tokens.mint(TestNode.SECRET, "renewing", "renewing", List.of(), Instant.now().plus(Duration.ofHours(1)), null);
        ServerFrame renewed = renewing.request(ClientFrame.newBuilder().setRefreshToken(RefreshToken.newBuilder().setToken(fresh)));
        assertTrue(renewed.getWelcome().getTokenExpiresAtMs() > soon.toEpochMilli(), renewed::toString);
        String foreign = TestNode.token("someone-else");
        assertEquals(ErrorCode.UNAUTHENTICATED, renewing.request(ClientFrame.newBuilder()
                .setRefreshToken(RefreshToken.newBuilder().setToken(foreign))).getError().getCode());
        assertEquals(ErrorCode.UNAUTHENTICATED, renewing.request(ClientFrame.newBuilder()
                .setRefreshToken(RefreshToken.newBuilder().setToken("garbage"))).getError().getCode());

        assertEquals(CloseCodes.TOKEN_EXPIRED_REASON, lapsing.awaitPush(ServerFrame::hasGoodbye).getGoodbye().getReason());
        assertEquals(new TestClient.CloseStatus(CloseCodes.TOKEN_EXPIRED, CloseCodes.TOKEN_EXPIRED_REASON), lapsing.awaitClose());
        assertTrue(renewing.request(Req.ping()).hasPong(), "the refreshed session outlives its first token");
    }
}
