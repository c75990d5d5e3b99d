package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.RawWebSocket;
import io.tickroom.server.testing.TestNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: the server answered no client ping (overriding onWebSocketPing turns Jetty's
 * automatic pong off). RFC 6455 §5.5.2: every ping gets a pong with its payload; pings are
 * rate-limited, and a connection that floods them is closed.
 */
class PingPongIT extends OneNodeIT {

    @Override
    protected TestNode startNode() throws Exception {
        return TestNode.start(c -> c.withLimits(LimitsConfig.defaults().withPings(5, 20)));
    }

    @Test
    void everyPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(node.port(), TestNode.token("pinger"))) {
            for (int i = 0; i < 5; i++) {
                byte[] payload = ("heartbeat " + i).getBytes(StandardCharsets.UTF_8);
                ws.send(RawWebSocket.PING, payload);
                RawWebSocket.Frame pong = ws.readUntil(RawWebSocket.PONG);
                assertArrayEquals(payload, pong.payload(), "pong " + i + " echoes its ping");
            }
            ws.send(RawWebSocket.PING, new byte[0]);
            assertEquals(0, ws.readUntil(RawWebSocket.PONG).payload().length, "an empty ping too");
        }
    }

    @Test
    void aPingFloodIsNotAnsweredPastTheRateAndIsClosed() throws Exception {
        try (RawWebSocket ws = new RawWebSocket(node.port(), TestNode.token("flooder"))) {
            java.util.concurrent.atomic.AtomicBoolean closeSeen = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger sent = new java.util.concurrent.atomic.AtomicInteger();
            Thread flood = new Thread(
                    () -> {
                        try {
                            while (!closeSeen.get() && sent.get() < 2_000) {
                                ws.send(RawWebSocket.PING, new byte[] {(byte) sent.getAndIncrement()});
                            }
                        } catch (java.io.IOException closed) {
                            // the server closed it while it was still flooding
                        }
                    },
                    "ping-flood");
            flood.start();
            // read while it floods, so the close frame is read as soon as it comes
            int pongs = 0;
            RawWebSocket.Frame f;
            do {
                f = ws.read();
                if (f.opcode() == RawWebSocket.PONG) {
                    pongs++;
                }
            } while (f.opcode() != RawWebSocket.CLOSE);
            closeSeen.set(true);
            flood.join(10_000);
            assertEquals(CloseCodes.POLICY_VIOLATION, f.closeCode());
            assertEquals(CloseCodes.RATE_LIMIT_EXCEEDED, f.closeReason());
            assertTrue(pongs >= 20 && pongs < 60, pongs + " of " + sent.get() + " pings answered (burst 20, 5/s)");
        }
    }
}
