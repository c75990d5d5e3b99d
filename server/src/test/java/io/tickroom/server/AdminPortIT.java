package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code --admin-port}: the operator endpoints on a listener of their own, off the players' one. */
@Timeout(60)
class AdminPortIT {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5));
        if (token != null) {
            r.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsAndTheConsoleMoveToTheAdminPortAndLeaveThePublicOne() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(c.net().withAdminListener("127.0.0.1", 0)))) {
            int pub = node.port();
            int ops = node.node().adminPort();
            assertTrue(ops > 0 && ops != pub, "a listener of its own: " + ops);
            String admin = TestNode.token("root", List.of("admin"));

            assertEquals(200, get(ops, "/metrics", null).statusCode());
            assertTrue(get(ops, "/metrics", null).body().contains("tickroom_sessions"));
            assertEquals(404, get(pub, "/metrics", null).statusCode(), "not on the players' port");
            assertEquals(200, get(ops, "/console", null).statusCode());
            assertEquals(200, get(ops, "/console/api/stats", admin).statusCode());
            assertEquals(404, get(pub, "/console", null).statusCode());
            assertEquals(404, get(pub, "/console/api/stats", admin).statusCode());
            assertEquals(200, get(ops, "/web/console.js", null).statusCode(), "the console's assets");

            assertEquals(200, get(pub, "/health", null).statusCode(), "health on both");
            assertEquals(200, get(ops, "/health", null).statusCode());
            assertEquals(200, get(pub, "/", null).statusCode(), "the demo page stays public");
            assertEquals(404, get(ops, "/", null).statusCode(), "and is not on the operator port");

            try (TestClient player = node.connect("alice");
                    TestClient opsOnPublic = TestClient.connect(node.adminUri(), admin);
                    TestClient opsOnAdmin =
                            TestClient.connect(URI.create("ws://127.0.0.1:" + ops + "/ws/admin"), admin)) {
                assertTrue(player.welcome().hasWelcome()
                        && opsOnPublic.welcome().hasWelcome()
                        && opsOnAdmin.welcome().hasWelcome());
            }
            assertNotEquals(
                    101,
                    io.tickroom.server.testing.RawHandshake.upgrade(
                                    ops,
                                    "/ws/play",
                                    java.util.Map.of("Authorization", "Bearer " + TestNode.token("bob")))
                            .status(),
                    "players do not connect to the operator port");
            node.awaitZeroCounts();
        }
    }

    @Test
    void withoutAnAdminPortEverythingIsOnThePublicOne() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertEquals(NetConfig.ADMIN_PORT_OFF, node.node().adminPort());
            assertEquals(200, get(node.port(), "/metrics", null).statusCode());
            assertEquals(200, get(node.port(), "/console", null).statusCode());
        }
    }
}
