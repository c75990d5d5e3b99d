package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.Scrape;
import io.tickroom.server.testing.TestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /metrics} scraped and parsed: every metric the issue names is there and moves with traffic. */
@Timeout(60)
class MetricsIT extends OneNodeIT {

    @Test
    void everyMetricIsExposedAndMovesWithTraffic() throws Exception {
        Scrape before = Scrape.of(node.port());
        assertTrue(before.contentType().startsWith("text/plain"), before.contentType());
        for (String name : List.of(
                "jvm_memory_used_bytes",
                "jvm_gc_pause_seconds_count",
                "jvm_threads_live_threads",
                "jetty_threads_current",
                "jetty_connections_current_connections",
                "tickroom_tick_duration_seconds_bucket",
                "tickroom_tick_lateness_seconds_bucket",
                "tickroom_ticks_skipped_total",
                "tickroom_quickmatch_queued",
                "tickroom_rate_limited_total",
                "tickroom_slow_consumer_closes_total",
                "tickroom_retries_answered_total",
                "tickroom_lobby_held_seats")) {
            assertTrue(before.has(name) || name.startsWith("jvm_gc"), "missing " + name);
        }

        TestClient alice = players.connect(node, "alice");
        TestClient bob = players.connect(node, "bob");
        String id =
                alice.request(Req.create("metered", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        assertTrue(alice.request(Req.chat(id, "")).hasError(), "an INVALID_ARGUMENT answer");
        Scrape mid = Scrape.of(node.port());
        assertEquals(2, mid.value("tickroom_sessions", "namespace=\"/ws/play\""));
        assertEquals(1, mid.value("tickroom_lobbies"));
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
        Scrape playing = Scrape.of(node.port());
        assertEquals(1, playing.value("tickroom_matches"));

        String token = bob.welcome().getWelcome().getResumeToken();
        TestClient other = players.connect(node, "carol");
        other.request(Req.resume(token, Map.of())); // bob's token, carol's connection: refused
        assertTrue(other.request(Games.quick("arena-8")).hasQuickMatchQueued());
        assertEquals(1, Scrape.of(node.port()).value("tickroom_quickmatch_queued"), "carol waits in a queue");

        Scrape after = Scrape.of(node.port());
        assertTrue(after.value("tickroom_frames_in_total") > before.value("tickroom_frames_in_total"));
        assertTrue(after.value("tickroom_bytes_in_total") > before.value("tickroom_bytes_in_total"));
        assertTrue(after.value("tickroom_frames_out_total") > before.value("tickroom_frames_out_total"));
        assertTrue(after.value("tickroom_bytes_out_total") > before.value("tickroom_bytes_out_total"));
        assertEquals(1, after.value("tickroom_errors_total", "code=\"INVALID_ARGUMENT\""));
        assertEquals(1, after.value("tickroom_resumes_total", "result=\"failed\""));
        assertTrue(
                after.value("tickroom_tick_duration_seconds_count")
                        > before.value("tickroom_tick_duration_seconds_count"),
                "the tick timer moves while a match runs");
        assertTrue(after.value("tickroom_tick_lateness_seconds_count") > 0);
        assertTrue(after.value("jvm_memory_used_bytes") > 0);
        assertTrue(after.value("jetty_connections_current_connections") >= 3, "carol, alice, bob are connected");
    }
}
