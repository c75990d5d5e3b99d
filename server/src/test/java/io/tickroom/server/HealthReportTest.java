package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The {@code /health} body is the record rendered by a JSON library: snake_case, absent rather than a made-up 0. */
class HealthReportTest {
    static final TickroomNode.Counts ZERO = new TickroomNode.Counts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    @Test
    void unknownFiguresAreLeftOutAndNamesAreSnakeCase() {
        String json = new HealthReport(
                        "n\"1",
                        "serving",
                        "1.2.3",
                        "single-node",
                        null,
                        true,
                        false,
                        3,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        0,
                        null)
                .toJson();
        assertTrue(json.startsWith("{\"node\":\"n\\\"1\",\"status\":\"serving\",\"version\":\"1.2.3\""), json);
        assertTrue(
                json.contains("\"cluster_mode\":\"single-node\"")
                        && json.contains("\"bus_up\":true")
                        && json.contains("\"room_memberships\":0")
                        && json.contains("\"sessions\":3"),
                json);
        assertFalse(json.contains("heap_after_gc_bytes"), "no GC yet: absent, not 0: " + json);
        assertFalse(json.contains("redis_reachable"), "single node: no Redis to reach: " + json);
    }

    @Test
    void aClusteredNodeSaysWhetherRedisAnswers() {
        String json = HealthReport.of("n", "degraded", true, false, false, false, ZERO)
                .toJson();
        assertTrue(
                json.contains("\"cluster_mode\":\"redis\"")
                        && json.contains("\"redis_reachable\":false")
                        && json.contains("\"bus_up\":false"),
                json);
    }
}
