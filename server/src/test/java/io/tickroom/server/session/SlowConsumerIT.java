package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.StalledPeer;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member that stops reading is closed as a slow consumer once its queue passes the limit,
 * costs the server only that much, and the other members get every line, in order, meanwhile.
 */
@Timeout(60)
class SlowConsumerIT {

    @Test
    void aReaderThatStopsReadingIsDroppedWhileTheOthersGetEverything() throws Exception {
        try (TestNode node = TestNode.start(c -> c
                .withNet(new NetConfig("127.0.0.1", 0, "", List.of(), 64 * 1024, 30_000, 10_000,
                        32, 2, 1_000, 2_000, false))
                .withLimits(new LimitsConfig(100_000, 100_000, 200, 100_000, 100_000, 4000, 5)))) {
            TestClient alice = node.connect("alice");
            TestClient bob = node.connect("bob");
            String lobbyId = alice.request(Req.create("fan-out", 4, false)).getLobbyState().getLobbyId();
            bob.request(Req.join(lobbyId));
            try (StalledPeer slow = new StalledPeer(node.port(), TestNode.token("slow"))) {
                slow.send(Req.join(lobbyId).setRequestId(1).build());
                alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 3);

                String line = "x".repeat(3_900);
                int sent = 0;
                ClientSession slowSession = node.node().sessions().sessionsOf("slow").get(0);
                List<CompletableFuture<ServerFrame>> acks = new ArrayList<>();
                while (!slowSession.outbound().isClosed() && sent < 5_000) {
                    acks.add(alice.requestAsync(Req.chat(lobbyId, sent + " " + line)));
                    sent++;
                    if (sent % 50 == 0) {
                        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                        acks.clear();
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                TestNode.awaitCount(() -> node.node().counts().sessions() == 2, "the stalled reader was not dropped");
                assertEquals(1, node.node().sessions().slowConsumerCloses(), "closed as a slow consumer");
                assertEquals(1, io.tickroom.server.testing.Scrape.of(node.port()).value("tickroom_slow_consumer_closes_total"));
                assertTrue(sent < 5_000, "the queue overflowed after " + sent + " lines of ~4 KB, not after everything");
                assertEquals(0, slowSession.outbound().queuedFrames(), "its queue was freed at once");

                // bob, reading normally, got every line in order: the stalled member cost him nothing
                for (int i = 0; i < sent; i++) {
                    ServerFrame chat = bob.awaitPush(ServerFrame::hasChat);
                    assertTrue(chat.getChat().getText().startsWith(i + " "), "line " + i + " in order");
                }
            }
            alice.close();
            bob.close();
            node.awaitZeroCounts();
        }
    }
}
