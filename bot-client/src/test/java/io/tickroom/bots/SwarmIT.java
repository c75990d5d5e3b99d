package io.tickroom.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.TickroomNode;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The swarm against a real node, one run per scenario; each asserts its report and a clean node after. */
@Timeout(120)
class SwarmIT {
    static final String SECRET = "swarm-it-secret-swarm-it-secret-0123456";
    TickroomNode node;
    final ByteArrayOutputStream progress = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        // a short resume grace: a bot whose close handshake the client library could not finish
        // looks like a drop, and its lobby seat and resume record are held for the grace
        node = TickroomNode.start(ServerConfig.defaults("swarm-it", SECRET)
                .withNet(new NetConfig(
                        "127.0.0.1", 0, "", List.of(), 64 * 1024, 30_000, 10_000, 1024, 8, 10_000, 2_000, false))
                .withSession(io.tickroom.server.config.SessionConfig.defaults().withResumeGraceMs(3_000)));
    }

    @AfterEach
    void stop() throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!node.counts().isZero() && System.nanoTime() < deadline) {
            synchronized (this) {
                wait(10);
            }
        }
        assertTrue(node.counts().isZero(), () -> "after the bots left: " + node.counts());
        node.stop();
    }

    Report run(String scenario, int bots, long durationMs, long seed) throws Exception {
        SwarmConfig config = new SwarmConfig(
                List.of(URI.create(node.playUrl())),
                bots,
                1_000,
                durationMs,
                scenario,
                seed,
                SECRET,
                "arena-sprint",
                2,
                10,
                10_000,
                16);
        Report r = Swarm.run(config, new PrintStream(progress, true, StandardCharsets.UTF_8));
        System.out.print(r.table());
        return r;
    }

    static void clean(Report r) {
        assertEquals(Map.of(), r.errors(), "no unexpected error answers");
        assertEquals(Map.of(), r.failures(), "no timeouts, lost connections or failed connects");
        assertEquals(0.0, r.errorRate());
        assertEquals(0, r.gaveUp());
    }

    @Test
    void lobbyScenarioBrowsesJoinsChatsStartsAndPlays() throws Exception {
        Report r = run("lobby", 24, 14_000, 101);
        clean(r);
        assertTrue(r.matchesPlayed() > 0, "bots finished matches");
        assertTrue(r.requests().containsKey("start_match") && r.requests().containsKey("set_ready"));
        assertTrue(r.snapshotJitter().count() > 100, "snapshots arrived");
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("bots=24/24"), "a live progress line");
    }

    @Test
    void quickmatchScenarioPlaysMatchAfterMatch() throws Exception {
        Report r = run("quickmatch", 20, 13_000, 202);
        clean(r);
        assertTrue(r.matchesPlayed() >= 20, "every bot finished a match: " + r.matchesPlayed());
    }

    @Test
    void chatScenarioFansLinesOutToLobbies() throws Exception {
        Report r = run("chat", 32, 6_000, 303);
        clean(r);
        assertTrue(r.requests().get("send_chat").count() > 100);
        assertTrue(
                r.dist("chat_delivery").count() > r.requests().get("send_chat").count(),
                "each line reaches several members");
    }

    @Test
    void churnScenarioConnectsAndDisconnectsOverAndOver() throws Exception {
        Report r = run("churn", 20, 6_000, 404);
        clean(r);
        assertTrue(
                r.connect().count() > 40,
                "bots reconnected many times: " + r.connect().count());
    }

    @Test
    void reconnectStormBringsEveryoneBack() throws Exception {
        Report r = run("reconnect-storm", 40, 8_000, 505);
        clean(r);
        assertEquals(40, r.reconnects(), "every bot dropped once and came back");
        assertEquals(40, r.resumes(), "and resumed its session (lobby seat held, missed pushes replayed)");
        assertEquals(40, r.connectedAtEnd());
    }

    @Test
    void sloGatesReportWhatTheyMiss() throws Exception {
        Report r = run("churn", 5, 2_000, 606);
        assertTrue(
                Slo.parse("p99(list_lobbies)<60000ms,error_rate<1%").evaluate(r).isEmpty());
        // a run that meets its SLOs still says so, with what was measured
        assertTrue(r.table().contains("SLO met    p99(list_lobbies)<60000ms: was "), r.table());
        assertTrue(r.table().contains("SLO met    error_rate<1%: was "), r.table());
        List<String> missed =
                Slo.parse("p99(list_lobbies)<0.001ms,p99(join_lobby)<50ms").evaluate(r);
        assertEquals(2, missed.size(), missed.toString());
        assertTrue(missed.get(0).startsWith("p99(list_lobbies)<0.001ms: was"));
        assertTrue(missed.get(1).contains("no join_lobby samples"));
        assertTrue(r.table().contains("SLO MISSED p99(join_lobby)<50ms: was no join_lobby samples"), r.table());
    }
}
