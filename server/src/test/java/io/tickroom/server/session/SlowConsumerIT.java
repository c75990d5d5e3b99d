package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.MemoryBudget;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.StalledPeer;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
        try (TestNode node = TestNode.start(c -> c.withNet(new NetConfig(
                        "127.0.0.1", 0, "", List.of(), 64 * 1024, 30_000, 10_000, 32, 2, 1_000, 2_000, false))
                .withLimits(new LimitsConfig(100_000, 100_000, 200, 100_000, 100_000, 4000, 5)))) {
            TestClient alice = node.connect("alice");
            TestClient bob = node.connect("bob");
            String lobbyId = alice.request(Req.create("fan-out", 4, false))
                    .getLobbyState()
                    .getLobbyId();
            bob.request(Req.join(lobbyId));
            try (StalledPeer slow = new StalledPeer(node.port(), TestNode.token("slow"))) {
                slow.send(Req.join(lobbyId).setRequestId(1).build());
                alice.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 3);

                String line = "x".repeat(3_900);
                int sent = 0;
                ClientSession slowSession =
                        node.node().sessions().sessionsOf("slow").get(0);
                List<CompletableFuture<ServerFrame>> acks = new ArrayList<>();
                while (!slowSession.outbound().isClosed() && sent < 5_000) {
                    acks.add(alice.requestAsync(Req.chat(lobbyId, sent + " " + line)));
                    sent++;
                    if (sent % 50 == 0) {
                        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                                .get(10, TimeUnit.SECONDS);
                        acks.clear();
                    }
                }
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
                TestNode.awaitCount(() -> node.node().counts().sessions() == 2, "the stalled reader was not dropped");
                assertEquals(1, node.node().sessions().slowConsumerCloses(), "closed as a slow consumer");
                assertEquals(
                        1,
                        io.tickroom.server.testing.Scrape.of(node.port()).value("tickroom_slow_consumer_closes_total"));
                assertTrue(
                        sent < 5_000, "the queue overflowed after " + sent + " lines of ~4 KB, not after everything");
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

    /** Heap in use after a full collection. */
    static long heapAfterGc() {
        System.gc();
        System.gc();
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage()
                .getUsed();
    }

    /**
     * The attack of issue 12: sessions that never read and keep asking for a ~30 KB lobby page,
     * within their request rate. Each costs at most its byte budget (it is closed as a slow
     * consumer past it), so the heap after GC stays under the README's per-connection term for
     * them, and the node keeps serving.
     */
    @Test
    @Timeout(120)
    void sessionsThatNeverReadAndRepeatListLobbiesCostAtMostTheirByteBudget() throws Exception {
        try (TestNode node = TestNode.start()) {
            List<TestClient> hosts = new ArrayList<>();
            String wide = "\u20ac".repeat(64); // 64 three-byte characters: the longest name, in bytes too
            for (int i = 0; i < 100; i++) {
                TestClient h = node.connect("host-" + i + "-" + "h".repeat(40));
                h.request(Req.create(wide, 8, false));
                hosts.add(h);
            }
            TestClient reader = node.connect("reader");
            ServerFrame page = reader.request(Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST));
            int pageBytes = page.getSerializedSize();
            assertTrue(pageBytes > 25_000, "a page is big: " + pageBytes + " bytes");

            int attackers = 32;
            int requestsEach = 400; // 8 s at the default 50 requests/s: never rate limited
            long before = heapAfterGc();
            ExecutorService pool = Executors.newFixedThreadPool(attackers);
            List<StalledPeer> peers = new ArrayList<>();
            try {
                List<Future<?>> attacks = new ArrayList<>();
                for (int a = 0; a < attackers; a++) {
                    StalledPeer p = new StalledPeer(node.port(), TestNode.token("hoarder-" + a));
                    peers.add(p);
                    attacks.add(pool.submit(() -> {
                        for (int i = 1; i <= requestsEach; i++) {
                            try {
                                p.send(Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST)
                                        .setRequestId(i)
                                        .build());
                            } catch (java.io.IOException closed) {
                                return null; // the server closed it
                            }
                            LockSupport.parkNanos(20_000_000L); // the attack's pace, under the rate limit
                        }
                        return null;
                    }));
                }
                for (Future<?> f : attacks) {
                    f.get(60, TimeUnit.SECONDS);
                }
                long grown = heapAfterGc() - before;
                System.out.println("non-reading list_lobbies sessions: heap after GC grew " + (grown >> 20) + " MiB");
                long allowed =
                        attackers * MemoryBudget.perConnectionBytes(node.node().config()) + (48L << 20);
                assertTrue(
                        grown <= allowed,
                        "the non-reading sessions retained " + (grown >> 20) + " MiB after GC; the "
                                + "README's formula allows " + (allowed >> 20)
                                + " MiB for them (with 48 MiB of slack)");
                assertTrue(
                        reader.request(Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST))
                                .hasLobbyList(),
                        "the node keeps serving");
                // each overflowed at once; its socket goes once the close frame it cannot read times out
                io.tickroom.server.testing.Await.until(
                        () -> node.node().sessions().slowConsumerCloses() == attackers,
                        java.time.Duration.ofSeconds(40),
                        () -> node.node().sessions().slowConsumerCloses() + " of " + attackers
                                + " closed as slow consumers");
            } finally {
                for (StalledPeer p : peers) {
                    p.close();
                }
                pool.shutdownNow();
            }
            reader.close();
            for (TestClient h : hosts) {
                h.close();
            }
            node.awaitZeroCounts();
        }
    }
}
