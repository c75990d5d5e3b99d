package io.tickroom.server.matchmaking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12: during a Redis outage the matchmaker logged a WARN per mode per sweep (about 25 a
 * second). It logs the outage once when it starts (WARN) and once when it ends (INFO).
 */
@Timeout(60)
class MatchmakerOutageIT {

    @Test
    void aRedisOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (RedisServer redis = RedisServer.start();
                TestNode node = TestNode.start(
                        c -> c.withNodeId("mm-outage").withCluster(ClusterConfig.redis(redis.uri(), "mo:")))) {
            QuickMatchService quick = node.node().quickMatch();
            System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
            redis.kill();
            long before = quick.sweepFailures();
            Await.until(
                    () -> quick.sweepFailures() >= before + 15,
                    Duration.ofSeconds(20),
                    () -> "the matchmaker did not keep sweeping during the outage");
            redis.launch();
            long failed = quick.sweepFailures();
            Await.until(() -> !quick.paused(), Duration.ofSeconds(20), () -> "the matchmaker never got back");
            System.setErr(original);
            String[] lines = captured.toString(StandardCharsets.UTF_8).split("\n");
            long warnings = Arrays.stream(lines)
                    .filter(l -> l.contains("QuickMatchService") && l.contains("WARN"))
                    .count();
            assertTrue(failed >= 15, failed + " failed sweeps");
            assertEquals(1, warnings, "one WARN for " + failed + " failed sweeps:\n" + String.join("\n", lines));
            // (its end is logged at INFO, "matchmaking resumed after N failed sweeps"; tests log WARN and up)
        } finally {
            System.setErr(original);
        }
    }

    /** Writes to both streams. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final ByteArrayOutputStream b;

        TeeStream(java.io.OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }
    }
}
