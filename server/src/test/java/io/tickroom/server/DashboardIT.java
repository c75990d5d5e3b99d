package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.Dashboard;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.PrometheusServer;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.Scrape;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Grafana dashboard against a real node on a real redis-server (the Redis meters exist only
 * there) after a little traffic: every metric its queries name is one {@code /metrics} exports,
 * so the dashboard cannot drift from the code; and a real Prometheus scraping the node evaluates
 * every query and gets data back.
 */
@Timeout(120)
class DashboardIT extends OneNodeIT {
    static final AtomicInteger runs = new AtomicInteger();
    static RedisServer redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected TestNode startNode() throws Exception {
        String prefix = "dash" + runs.incrementAndGet() + ":";
        return TestNode.start(c -> c.withCluster(ClusterConfig.redis(redis.uri(), prefix)));
    }

    /** A lobby with chat and an error answer, then a running match, then a GC: every meter has samples. */
    void traffic() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        String id =
                alice.request(Req.create("watched", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(alice.request(Req.chat(id, "hello")).hasOk());
        assertTrue(alice.request(Req.chat(id, "")).hasError());
        assertTrue(alice.request(Req.leave(id)).hasOk());
        assertTrue(bob.request(Req.leave(id)).hasOk());
        var found = Games.startFromLobby("arena-sprint", List.of(alice, bob));
        for (int i = 0; i < 2; i++) {
            assertTrue(List.of(alice, bob)
                    .get(i)
                    .request(Games.claim(found.get(i).getSeatToken()))
                    .hasMatchJoined());
        }
        alice.awaitPush(ServerFrame::hasMatchSnapshot);
        System.gc(); // the GC meters are created by the first GC notification
        Await.until(
                () -> scrapeHas("jvm_gc_pause_seconds_count") && scrapeHas("tickroom_tick_lateness_seconds_bucket"),
                Duration.ofSeconds(10),
                () -> "no GC pause or tick lateness sample in /metrics");
    }

    boolean scrapeHas(String name) {
        try {
            return Scrape.of(node.port()).has(name);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void everyMetricTheDashboardQueriesIsExportedByARunningNode() throws Exception {
        traffic();
        Scrape scrape = Scrape.of(node.port());
        List<String> missing = new ArrayList<>();
        int names = 0;
        for (Dashboard.Query q : Dashboard.load().queries()) {
            for (String metric : Dashboard.metricNames(q.expr())) {
                names++;
                if (!scrape.has(metric)) {
                    missing.add(metric + " (" + q.where() + ")");
                }
            }
        }
        assertTrue(names >= 30, "read the queries: " + names);
        assertEquals(List.of(), missing, "the dashboard queries metrics /metrics does not export");
    }

    @Test
    void aRealPrometheusScrapingTheNodeAnswersEveryQueryOfTheDashboardWithData() throws Exception {
        // never skipped: a machine without it fails and says how to get it (.ci/run installs it)
        assertTrue(
                PrometheusServer.binary() != null,
                "prometheus is not installed: apt-get install -y --no-install-recommends prometheus");
        traffic();
        try (PrometheusServer prometheus = PrometheusServer.start(List.of("127.0.0.1:" + node.port()))) {
            // rate() needs two samples inside its range: wait for a few scrapes
            Await.until(
                    () -> samples(prometheus) >= 3,
                    Duration.ofSeconds(30),
                    () -> "prometheus did not scrape the node 3 times: " + prometheus.log());
            List<String> failed = new ArrayList<>();
            for (Dashboard.Query q : Dashboard.load().queries()) {
                String promql = Dashboard.forPrometheus(q.expr());
                Map<String, Object> answer = prometheus.query(promql);
                if (!"success".equals(answer.get("status"))) {
                    failed.add(q.where() + ": " + answer.get("error") + " in " + promql);
                } else if (prometheus.series(promql).isEmpty()) {
                    failed.add(q.where() + ": no data for " + promql);
                }
            }
            assertEquals(List.of(), failed);
        }
    }

    static double samples(PrometheusServer p) {
        try {
            List<Object> s = p.series("count_over_time(up{job=\"" + PrometheusServer.JOB + "\"}[1m])");
            if (s.isEmpty()) {
                return 0;
            }
            @SuppressWarnings("unchecked")
            List<Object> value = (List<Object>) ((Map<String, Object>) s.get(0)).get("value");
            return Double.parseDouble(String.valueOf(value.get(1)));
        } catch (Exception e) {
            return 0;
        }
    }
}
