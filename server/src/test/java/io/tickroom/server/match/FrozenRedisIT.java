package io.tickroom.server.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.TickroomNode;
import io.tickroom.server.arena.ArenaGame;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import io.tickroom.server.tick.TickMetrics;
import io.tickroom.server.tick.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A redis-server frozen (SIGSTOP) while matches end: what a tick sends to other nodes waits in
 * the outbox, not on the tick thread, so tick lateness stays what a single node shows for the
 * same load, and the Jetty threads answer pings at once while a request waits on Redis.
 */
@Timeout(120)
class FrozenRedisIT {
    /** Matches that keep ticking through the window (their seats go unclaimed until they abort, after it). */
    static final int STEADY = 20;
    /** Matches that end (abort: seats unclaimed) inside the window, each pushing match_ended to its players. */
    static final int ENDING = 12;

    static final long ENDING_AFTER_MS = 1_500;

    static GameModes modes() {
        return new GameModes(List.of(
                new GameMode("steady", 20, 4, 4, 4, 6_000, 0, false, 64, () -> new ArenaGame(600)),
                new GameMode("ending", 20, 2, 2, 2, ENDING_AFTER_MS, 0, false, 64, () -> new ArenaGame(600))));
    }

    /** What one run measured: start lateness over the window, and the slowest ping. */
    record Run(Histogram lateness, long slowestPingMs) {
        double p99Ms() {
            return lateness.getValueAtPercentile(99) / 1e6;
        }
    }

    static List<MatchService.Seating> players(String prefix, int n) {
        List<MatchService.Seating> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MatchService.Seating(prefix + "-" + i, prefix + "-" + i));
        }
        return out;
    }

    /** Runs the load on a node: steady matches tick while the ending ones end; {@code frozen} SIGSTOPs Redis meanwhile. */
    static Run run(TickroomNode node, RedisServer frozen) throws Exception {
        MatchService matches = node.matches();
        GameMode steady = matches.mode("steady").orElseThrow();
        GameMode ending = matches.mode("ending").orElseThrow();
        URI play = URI.create("ws://127.0.0.1:" + node.port() + "/ws/play");
        try (TestClient pinger = TestClient.connect(play, TestNode.token("pinger"));
                TestClient waiter = TestClient.connect(play, TestNode.token("waiter"))) {
            for (int m = 0; m < STEADY; m++) {
                matches.create(steady, players("steady" + m, 4));
            }
            for (int m = 0; m < ENDING; m++) {
                matches.create(ending, players("ending" + m, 2));
            }
            TickMetrics.Snapshot before = node.scheduler().metrics();
            long slowestPingMs = 0;
            CompletableFuture<ServerFrame> waiting = null;
            if (frozen != null) {
                frozen.freeze();
            }
            try {
                if (frozen != null) {
                    waiting = waiter.requestAsync(Req.create("waits on the frozen Redis", 4, false));
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                // ping through the window, until every ending match has ended (they end during the freeze)
                while (matches.matchCount() > STEADY) {
                    assertTrue(System.nanoTime() < deadline, "the ending matches did not end: " + matches.matchCount());
                    long t0 = System.nanoTime();
                    assertTrue(pinger.request(Req.ping()).hasPong());
                    slowestPingMs = Math.max(slowestPingMs, (System.nanoTime() - t0) / 1_000_000);
                    // the probe's pace (20 pings/s, under the request rate limit): a sampling
                    // interval, not a wait standing in for an event
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                }
                for (int i = 0; i < 5; i++) {
                    long t0 = System.nanoTime();
                    assertTrue(pinger.request(Req.ping()).hasPong());
                    slowestPingMs = Math.max(slowestPingMs, (System.nanoTime() - t0) / 1_000_000);
                }
            } finally {
                if (frozen != null) {
                    frozen.thaw();
                }
            }
            TickMetrics.Snapshot after = node.scheduler().metrics();
            Histogram lateness = after.lateness.copy();
            lateness.subtract(before.lateness);
            if (waiting != null) {
                ServerFrame answer = waiting.get(20, TimeUnit.SECONDS);
                assertTrue(answer.hasLobbyState() || answer.hasError(), answer::toString);
                if (answer.hasLobbyState()) {
                    assertTrue(waiter.request(Req.leave(answer.getLobbyState().getLobbyId()))
                            .hasOk());
                }
            }
            return new Run(lateness, slowestPingMs);
        }
    }

    static void awaitQuiet(TickroomNode node) throws InterruptedException {
        io.tickroom.server.testing.Await.until(
                () -> node.counts().isZero(), Duration.ofSeconds(20), () -> "counts not zero: " + node.counts());
    }

    @Test
    void matchesEndingWhileRedisIsFrozenDelayNoTickAndNoPing() throws Exception {
        Run single;
        ServerConfig base = TestNode.config();
        try (TickroomNode node = new TickroomNode(base.withNodeId("single"), TimeSource.SYSTEM, modes())) {
            node.start();
            run(node, null); // warms the JVM up (class loading, JIT), so the figure is the steady one
            awaitQuiet(node);
            single = run(node, null);
            awaitQuiet(node);
        }
        Run clustered;
        try (RedisServer redis = RedisServer.start();
                TickroomNode node = new TickroomNode(
                        base.withNodeId("frozen").withCluster(ClusterConfig.redis(redis.uri(), "frz:")),
                        TimeSource.SYSTEM,
                        modes())) {
            node.start();
            clustered = run(node, redis);
            awaitQuiet(node);
            assertEquals(
                    0,
                    node.metrics()
                            .registry()
                            .find("tickroom.push.outbox.dropped")
                            .functionCounter()
                            .count(),
                    "the outbox had room for every match end");
        }
        String figures = String.format(
                "tick lateness p99: single node %.2f ms, clustered with Redis frozen %.2f ms"
                        + " (max %.2f / %.2f ms); slowest ping %d / %d ms",
                single.p99Ms(),
                clustered.p99Ms(),
                single.lateness().getMaxValue() / 1e6,
                clustered.lateness().getMaxValue() / 1e6,
                single.slowestPingMs(),
                clustered.slowestPingMs());
        System.out.println(figures);
        // a tick that waited on the frozen Redis would be late by the Redis timeout (500 ms) per push
        assertTrue(clustered.p99Ms() <= 2 * single.p99Ms() + 20, figures);
        assertTrue(clustered.slowestPingMs() < 250, "pings are answered at once: " + figures);
    }
}
