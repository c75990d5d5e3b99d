package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.RawHandshake;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: connecting while Redis is down. A clustered node answers the handshake 503 with
 * Retry-After and a reason without internals (never a welcome then 1011 naming the exception and
 * the Redis address); nothing is left behind, so once Redis is back the same user connects again
 * as often as it likes, with no 429.
 */
@Timeout(90)
class OpenDuringOutageIT {

    /**
     * A started node serves: its subscriber is up when start returns, so the first handshake is
     * not refused 503 as if Redis were away (it was, under load: the subscriber connects on its
     * own thread and start did not wait for it).
     */
    @Test
    void aClusteredNodeTakesSessionsAsSoonAsItHasStarted() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            for (int i = 0; i < 5; i++) {
                try (TestNode node = TestNode.start(
                        c -> c.withNodeId("fresh").withCluster(ClusterConfig.redis(redis.uri(), "fr:")))) {
                    assertTrue(node.node().busUp(), "start " + i + " returned with its subscriber up");
                    RawHandshake.Response r = RawHandshake.upgrade(
                            node.port(), "/ws/play", Map.of("Authorization", "Bearer " + TestNode.token("alice")));
                    assertEquals(101, r.status(), "start " + i + ": " + r.status() + " " + r.body());
                }
            }
        }
    }

    @Test
    void handshakesDuringAnOutageGet503AndLeaveNothingBehind() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestNode node = TestNode.start(c -> c.withNodeId("outage-1")
                        .withCluster(ClusterConfig.redis(redis.uri(), "od:"))
                        .withSession(new io.tickroom.server.config.SessionConfig(
                                3_000, 256, 64, 2_000, 8, 20, 100_000, 100_000, 100_000)))) {
            TestClient before = node.connect("alice");
            assertTrue(before.request(Req.ping()).hasPong());
            before.close();
            node.awaitZeroCounts();

            redis.kill();
            Await.until(() -> !node.node().busUp(), Duration.ofSeconds(10), () -> "the node never saw Redis go");
            for (int i = 0; i < 20; i++) {
                RawHandshake.Response r = RawHandshake.upgrade(
                        node.port(), "/ws/play", Map.of("Authorization", "Bearer " + TestNode.token("alice")));
                assertEquals(503, r.status(), "attempt " + i + ": " + r.status() + " " + r.body());
                assertEquals("2", r.headers().get("retry-after"), r.headers()::toString);
                String body = r.body().toLowerCase(Locale.ROOT);
                assertFalse(
                        body.contains("redis")
                                || body.contains("exception")
                                || body.contains(Integer.toString(redis.port())),
                        "no internals in the reason: " + r.body());
            }
            assertEquals(0, node.node().counts().sessions(), "no session was opened");
            TestNode.awaitCount(() -> node.node().gatewayAddressesOpen() == 0, "the refused connections closed");

            redis.launch();
            Await.until(() -> node.node().busUp(), Duration.ofSeconds(15), () -> "the node never got Redis back");
            for (int i = 0; i < 12; i++) { // more than the 8 sessions a user may have at once
                TestClient c = node.connect("alice");
                assertTrue(c.request(Req.ping()).hasPong(), "connect " + i + " after the outage");
                c.close();
            }
            TestClient c = node.connect("alice");
            assertTrue(c.request(Req.list("arena")).hasLobbyList());
            c.close();
            node.awaitZeroCounts();
        }
    }
}
