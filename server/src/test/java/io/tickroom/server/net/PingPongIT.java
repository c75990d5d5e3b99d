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
            // 400 pings in one write (2.8 KB): 20 answered (the burst), the rest refused, and
            // past 200 refusals the connection is closed 1008. One write, read by the server at
            // once, so that nothing of ours is left unread in its socket when it closes: a socket
            // closed with unread data resets the connection, and the reset can discard the close
            // frame before we read it (Jetty closes at once after an abnormal close code).
            ws.sendMany(RawWebSocket.PING, 400);
            int pongs = 0;
            RawWebSocket.Frame f;
            do {
                f = ws.read();
                if (f.opcode() == RawWebSocket.PONG) {
                    pongs++;
                }
            } while (f.opcode() != RawWebSocket.CLOSE);
            assertEquals(CloseCodes.POLICY_VIOLATION, f.closeCode());
            assertEquals(CloseCodes.RATE_LIMIT_EXCEEDED, f.closeReason());
            assertTrue(pongs >= 20 && pongs < 60, pongs + " of 400 pings answered (burst 20, 5/s)");
        }
    }
}
