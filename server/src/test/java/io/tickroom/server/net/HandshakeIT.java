package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.auth.Tokens;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.RawHandshake;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HandshakeIT {
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(c -> c.withNet(new NetConfig(
                c.net().host(),
                0,
                "",
                List.of("https://game.example"),
                c.net().maxFrameBytes(),
                c.net().idleTimeoutMs(),
                c.net().pingIntervalMs(),
                c.net().outboundQueueFrames(),
                c.net().maxInFlightFrames(),
                c.net().writeTimeoutMs(),
                c.net().shutdownGraceMs(),
                false)));
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    private static RawHandshake.Response upgrade(String path, Map<String, String> headers) throws Exception {
        return RawHandshake.upgrade(node.port(), path, headers);
    }

    @Test
    void refusesMissingTokenWith401AndWwwAuthenticate() throws Exception {
        RawHandshake.Response r = upgrade("/ws/play", Map.of());
        assertEquals(401, r.status());
        assertTrue(
                r.headers().get("www-authenticate").startsWith("Bearer"),
                r.headers().toString());
        assertTrue(r.body().contains("missing token"), r.body());
        // sessions of earlier tests on this node close on their lanes, a moment later: a refused
        // handshake that had opened one would keep it for good, so the count must reach zero
        io.tickroom.server.testing.Await.until(
                () -> node.node().counts().sessions() == 0,
                Duration.ofSeconds(5),
                () -> "a session outlived its refused handshake: " + node.node().counts());
    }

    @Test
    void refusesForgedToken() throws Exception {
        String forged = Tokens.mint(
                "some-other-secret-some-other-secret-000",
                "mallory",
                "M",
                List.of("admin"),
                Instant.now().plusSeconds(600),
                null);
        RawHandshake.Response r = upgrade("/ws/play", Map.of("Authorization", "Bearer " + forged));
        assertEquals(401, r.status());
        assertTrue(r.body().contains("signature"), r.body());
    }

    @Test
    void refusesGarbageToken() throws Exception {
        RawHandshake.Response r = upgrade("/ws/play?access_token=not.a.jwt", Map.of());
        assertEquals(401, r.status());
        assertTrue(r.body().contains("malformed"), r.body());
    }

    @Test
    void refusesExpiredToken() throws Exception {
        String expired = Tokens.mint(
                TestNode.SECRET, "alice", "Alice", List.of(), Instant.now().minusSeconds(5), null);
        RawHandshake.Response r = upgrade("/ws/play", Map.of("Authorization", "Bearer " + expired));
        assertEquals(401, r.status());
        assertTrue(r.body().contains("expired"), r.body());
    }

    @Test
    void refusesAdminNamespaceWithoutAdminRole() throws Exception {
        RawHandshake.Response r = upgrade("/ws/admin", Map.of("Authorization", "Bearer " + TestNode.token("bob")));
        assertEquals(403, r.status());
        assertTrue(r.body().contains("admin"), r.body());
    }

    @Test
    void refusesDisallowedOrigin() throws Exception {
        RawHandshake.Response r = upgrade(
                "/ws/play",
                Map.of("Authorization", "Bearer " + TestNode.token("bob"), "Origin", "https://evil.example"));
        assertEquals(403, r.status());
        assertTrue(r.body().contains("origin"), r.body());
    }

    @Test
    void acceptsAllowedOriginWithHeaderToken() throws Exception {
        RawHandshake.Response r = upgrade(
                "/ws/play",
                Map.of("Authorization", "Bearer " + TestNode.token("carol"), "Origin", "https://game.example"));
        assertEquals(101, r.status());
        assertFalse(r.headers().containsKey("sec-websocket-extensions"), "permessage-deflate must be off by default");
    }

    @Test
    void refusesPermessageDeflateOfferByDefault() throws Exception {
        RawHandshake.Response r = upgrade(
                "/ws/play",
                Map.of(
                        "Authorization",
                        "Bearer " + TestNode.token("erin"),
                        "Sec-WebSocket-Extensions",
                        "permessage-deflate; client_max_window_bits"));
        assertEquals(101, r.status());
        assertFalse(
                r.headers().containsKey("sec-websocket-extensions"), r.headers().toString());
    }

    @Test
    void acceptsQueryTokenAndWelcomesWithIdentityFromTheToken() throws Exception {
        try (TestClient c = TestClient.connectWithQueryToken(node.playUri(), TestNode.token("dave"))) {
            var w = c.welcome().getWelcome();
            assertEquals("dave", w.getUserId());
            assertEquals("Name of dave", w.getUserName());
            assertEquals(1, w.getProtocolVersion());
            assertEquals(64 * 1024, w.getLimits().getMaxFrameBytes());
            assertTrue(Math.abs(w.getServerTimeMs() - System.currentTimeMillis()) < 60_000);
            assertFalse(w.getSessionId().isEmpty());
        }
        node.awaitZeroCounts();
    }

    @Test
    void admitsAdminsToTheAdminNamespace() throws Exception {
        try (TestClient c = TestClient.connect(node.adminUri(), TestNode.token("root", List.of("admin")))) {
            assertTrue(c.request(Req.ping()).hasPong());
            // lobby requests are not served on the admin namespace
            assertEquals(
                    io.tickroom.protocol.v1.ErrorCode.UNSUPPORTED,
                    c.request(Req.list("arena")).getError().getCode());
        }
        node.awaitZeroCounts();
    }

    @Test
    void healthAnswers200WhileServing() throws Exception {
        HttpResponse<String> resp = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, resp.statusCode());
        assertTrue(resp.body().contains("\"serving\""), resp.body());
    }
}
