package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The server pings each session once per interval at that session's own phase, from when it
 * connected: sessions that connected apart are pinged apart, never all in one burst (which held
 * the tick thread off its core every interval).
 */
@Timeout(60)
class ServerPingIT {
    static final long INTERVAL_MS = 1_000;

    @Test
    void eachSessionIsPingedOncePerIntervalAtItsOwnPhase() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(new NetConfig(
                c.net().host(),
                0,
                "",
                c.net().allowedOrigins(),
                c.net().maxFrameBytes(),
                c.net().idleTimeoutMs(),
                INTERVAL_MS,
                c.net().outboundQueueFrames(),
                c.net().maxInFlightFrames(),
                c.net().writeTimeoutMs(),
                c.net().shutdownGraceMs(),
                false)))) {
            TestClient early = TestClient.connect(node.playUri(), TestNode.token("early"));
            // the second connects half an interval later: wait for the first's first ping, then a
            // quarter of an interval more, so the phases differ by a known amount whatever the start
            TestNode.awaitCount(() -> early.pingsAtNs.size() >= 1, "the first session is never pinged");
            long halfAfter = early.pingsAtNs.get(0) + INTERVAL_MS * 1_000_000 / 2;
            TestNode.awaitCount(() -> System.nanoTime() >= halfAfter, "the clock stood still");
            TestClient late = TestClient.connect(node.playUri(), TestNode.token("late"));
            try {
                TestNode.awaitCount(() -> early.pingsAtNs.size() >= 4 && late.pingsAtNs.size() >= 3, "pings stopped");
                List<Long> a = new ArrayList<>(early.pingsAtNs);
                List<Long> b = new ArrayList<>(late.pingsAtNs);
                long slotNs = Housekeeper.pingSlotMs(INTERVAL_MS) * 1_000_000;
                for (List<Long> pings : List.of(a, b)) {
                    for (int k = 1; k < pings.size(); k++) {
                        long gap = pings.get(k) - pings.get(k - 1);
                        assertTrue(
                                gap >= INTERVAL_MS * 1_000_000 - slotNs && gap <= INTERVAL_MS * 1_000_000 + 3 * slotNs,
                                "once per interval, not more nor much less: gap " + gap / 1_000_000 + " ms");
                    }
                }
                // the late session's pings fall between the early one's, not with them
                for (long p : b) {
                    long nearest = Long.MAX_VALUE;
                    for (long q : a) {
                        nearest = Math.min(nearest, Math.abs(p - q));
                    }
                    assertTrue(
                            nearest >= INTERVAL_MS * 1_000_000 / 4,
                            "pinged " + nearest / 1_000_000 + " ms from the other session's ping: in one burst");
                }
            } finally {
                late.close();
                early.close();
            }
        }
    }
}
