package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/** {@code /health} says which build, which node, which cluster mode and whether Redis and the bus answer. */
@Timeout(60)
class HealthIT {

    static Map<String, Object> health(TestNode node) throws Exception {
        var r = AdminPortIT.get(node.port(), "/health", null);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        return new Yaml().load(r.body()); // JSON is YAML
    }

    @Test
    void aSingleNodeReportsItsVersionIdModeAndCounts() throws Exception {
        try (TestNode node = TestNode.start()) {
            Map<String, Object> h = health(node);
            assertEquals("test-node", h.get("node"));
            assertEquals("serving", h.get("status"));
            assertEquals(Version.NUMBER, h.get("version"));
            assertTrue(Version.NUMBER.matches("\\d+\\.\\d+\\.\\d+.*"), "the build's version: " + Version.NUMBER);
            assertEquals("single-node", h.get("cluster_mode"));
            assertFalse(h.containsKey("redis_reachable"), "no Redis to reach: " + h);
            assertEquals(true, h.get("bus_up"));
            assertEquals(false, h.get("draining"));
            assertEquals(0, h.get("sessions"));
            assertTrue(
                    !h.containsKey("heap_after_gc_bytes") || ((Number) h.get("heap_after_gc_bytes")).longValue() > 0,
                    "absent before the first GC, a real figure after: " + h);
            System.gc();
            assertTrue(((Number) health(node).get("heap_after_gc_bytes")).longValue() > 0, "after a GC");
        }
    }

    @Test
    void aClusteredNodeReportsRedisAndTheBusAndWhenRedisGoesAway() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestNode node = TestNode.start(c -> c.withCluster(ClusterConfig.redis(redis.uri(), "health:")))) {
            Await.until(
                    () -> Boolean.TRUE.equals(node.node().health().redisReachable()),
                    Duration.ofSeconds(10),
                    () -> "reachable: " + node.node().health());
            Map<String, Object> h = health(node);
            assertEquals("redis", h.get("cluster_mode"));
            assertEquals(true, h.get("redis_reachable"));
            assertEquals(true, h.get("bus_up"));
            assertEquals("serving", h.get("status"));

            redis.kill();
            Await.until(
                    () -> Boolean.FALSE.equals(node.node().health().redisReachable())
                            && !node.node().health().busUp(),
                    Duration.ofSeconds(10),
                    () -> "unreachable: " + node.node().health());
            h = health(node);
            assertEquals(false, h.get("redis_reachable"));
            assertEquals(false, h.get("bus_up"));
            assertEquals("degraded", h.get("status"));
            redis.launch();
            Await.until(
                    () -> Boolean.TRUE.equals(node.node().health().redisReachable())
                            && node.node().health().busUp(),
                    Duration.ofSeconds(15),
                    () -> "back: " + node.node().health());
        }
    }
}
