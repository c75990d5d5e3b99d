package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LifecycleIT {

    @Test
    void stopSaysGoodbyeClosesWith1001AndLeavesNothing() throws Exception {
        TestNode node = TestNode.start();
        TestClient a = node.connect("alice");
        TestClient b = node.connect("bob");
        String id = a.request(Req.create("doomed", 4, false)).getLobbyState().getLobbyId();
        b.request(Req.join(id));
        node.close();
        for (TestClient c : new TestClient[] {a, b}) {
            TestClient.CloseStatus st = c.awaitClose();
            assertEquals(CloseCodes.GOING_AWAY, st.code());
            assertEquals(CloseCodes.SHUTTING_DOWN, st.reason());
            List<ServerFrame> pushes = c.drainPushes();
            assertTrue(
                    pushes.stream()
                            .anyMatch(f ->
                                    f.hasGoodbye() && f.getGoodbye().getReason().equals(CloseCodes.SHUTTING_DOWN)),
                    pushes.toString());
        }
        assertTrue(node.node().counts().isZero(), node.node().counts().toString());
    }

    @Test
    void deadPeerIsClosedAfterIdleTimeoutWhileLivePeersStay() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(new NetConfig(
                c.net().host(),
                0,
                "",
                c.net().allowedOrigins(),
                c.net().maxFrameBytes(),
                1_000,
                200,
                c.net().outboundQueueFrames(),
                c.net().maxInFlightFrames(),
                c.net().writeTimeoutMs(),
                c.net().shutdownGraceMs(),
                false)))) {
            TestClient live = node.connect("live");
            long connectedAt = System.nanoTime();
            // a peer that completes the handshake and then never reads or answers a ping
            try (Socket dead = new Socket("127.0.0.1", node.port())) {
                dead.getOutputStream()
                        .write(("GET /ws/play HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                                        + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                        + "Authorization: Bearer " + TestNode.token("dead") + "\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                InputStream in = dead.getInputStream();
                assertTrue(new String(in.readNBytes(12), StandardCharsets.US_ASCII).contains("101"));
                Await.until(
                        () -> node.node().counts().sessions() == 2,
                        Duration.ofSeconds(5),
                        () -> "dead peer not registered");
                Await.until(
                        () -> node.node().counts().sessions() == 1,
                        Duration.ofSeconds(10),
                        () -> "dead peer not closed by idle timeout");
            }
            assertTrue(
                    System.nanoTime() - connectedAt >= Duration.ofMillis(1_000).toNanos());
            // the live client answered the server's pings and is still served
            assertTrue(live.isOpen());
            assertTrue(live.request(Req.ping()).hasPong());
            live.close();
            node.awaitZeroCounts();
        }
    }
}
