package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.testing.Dashboard;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The Grafana dashboard's shape and the PromQL reading its tests rely on; no node (see {@code DashboardIT}). */
class DashboardTest {

    @Test
    void extractsMetricNamesNotFunctionsLabelsStringsOrVariables() {
        assertEquals(
                Set.of("tickroom_tick_lateness_seconds_bucket"),
                Dashboard.metricNames(
                        "histogram_quantile(0.99, sum by (le) (rate(tickroom_tick_lateness_seconds_bucket{node=~\"$node\"}[$__rate_interval])))"));
        assertEquals(
                Set.of("tickroom_redis_calls_seconds_sum", "tickroom_redis_calls_seconds_count"),
                Dashboard.metricNames(
                        "sum by (node) (rate(tickroom_redis_calls_seconds_sum[1m])) / sum by (node) (rate(tickroom_redis_calls_seconds_count[1m]))"));
        assertEquals(
                Set.of("tickroom_sessions"),
                Dashboard.metricNames(
                        "sum by (node, namespace) (tickroom_sessions{namespace=\"/ws/play\", node=~\"$node\"})"));
        assertEquals(Set.of("a", "b"), Dashboard.metricNames("a and on (x) b offset 5m > bool 1e3"));
        assertEquals(Set.of("tickroom_sessions"), Dashboard.metricNames("label_values(tickroom_sessions, node)"));
        assertEquals(
                "group by (node) (tickroom_sessions)",
                Dashboard.forPrometheus("label_values(tickroom_sessions, node)"));
        assertEquals(
                "rate(x{node=~\".*\"}[1m])", Dashboard.forPrometheus("rate(x{node=~\"$node\"}[$__rate_interval])"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void isAGrafana10DashboardWhosePanelsReadTheChosenPrometheus() throws Exception {
        Dashboard d = Dashboard.load();
        Map<String, Object> json = d.json();
        assertEquals("tickroom-nodes", json.get("uid"));
        assertTrue(((Number) json.get("schemaVersion")).intValue() >= 38, "Grafana 10's schema");
        assertEquals(null, json.get("id"), "importable: no database id");
        List<Map<String, Object>> vars =
                (List<Map<String, Object>>) ((Map<String, Object>) json.get("templating")).get("list");
        assertEquals(
                List.of("datasource", "node"),
                vars.stream().map(v -> v.get("name")).toList());
        assertEquals("prometheus", vars.get(0).get("query"));
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> p : d.panels()) {
            assertTrue(ids.add(p.get("id")), "panel ids are unique: " + p.get("id"));
            Map<String, Object> grid = (Map<String, Object>) p.get("gridPos");
            int x = ((Number) grid.get("x")).intValue();
            int w = ((Number) grid.get("w")).intValue();
            assertTrue(x >= 0 && x + w <= 24, "panel '" + p.get("title") + "' fits the 24 columns");
            if (!"row".equals(p.get("type"))) {
                assertEquals(
                        Map.of("type", "prometheus", "uid", "${datasource}"),
                        p.get("datasource"),
                        String.valueOf(p.get("title")));
                assertFalse(((List<?>) p.get("targets")).isEmpty(), p.get("title") + " has a query");
            }
        }
        for (Dashboard.Query q : d.queries()) {
            String left = Dashboard.forPrometheus(q.expr());
            assertFalse(left.contains("$"), q.where() + " uses a variable the dashboard does not define: " + q.expr());
        }
    }

    @Test
    void coversWhatAnOperatorWatches() throws Exception {
        Set<String> read = new HashSet<>();
        for (Dashboard.Query q : Dashboard.load().queries()) {
            read.addAll(Dashboard.metricNames(q.expr()));
        }
        for (String m : List.of(
                "tickroom_sessions",
                "tickroom_lobbies",
                "tickroom_matches",
                "tickroom_frames_out_total",
                "tickroom_tick_lateness_seconds_bucket",
                "tickroom_tick_duration_seconds_bucket",
                "tickroom_ticks_skipped_total",
                "tickroom_slow_consumer_closes_total",
                "tickroom_rate_limited_total",
                "tickroom_redis_calls_seconds_sum",
                "tickroom_redis_calls_seconds_count",
                "tickroom_redis_failures_total",
                "tickroom_errors_total")) {
            assertTrue(read.contains(m), "the dashboard shows " + m);
        }
    }
}
