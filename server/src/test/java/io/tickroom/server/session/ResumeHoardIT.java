package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.config.MemoryBudget;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The resume hoard of issue 12: clients that connect, list big lobby pages and drop (1006), over
 * and over, each leaving a resume record behind for the whole grace. The store holds at most its
 * byte budget, pages are too large to keep for a retry (a retry after a resume is refused "gap",
 * never applied twice), and the node keeps serving.
 */
@Timeout(180)
class ResumeHoardIT {
    static final long STORE_BYTES = 4L << 20;

    @Test
    void droppedSessionsThatListedBigPagesHoldAtMostTheStoreBudget() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withSession(c.session()
                .withResumeGraceMs(120_000)
                .withResumeBytes(STORE_BYTES, c.session().resumeRecordBytes())))) {
            List<TestClient> hosts = new ArrayList<>();
            String wide = "\u20ac".repeat(64);
            for (int i = 0; i < 100; i++) {
                TestClient h = node.connect("host-" + i + "-" + "h".repeat(40));
                h.request(Req.create(wide, 8, false));
                hosts.add(h);
            }
            int cycles = 1_500;
            long before = SlowConsumerIT.heapAfterGc();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<?>> runs = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    runs.add(pool.submit(() -> {
                        for (int i = thread; i < cycles; i += 8) {
                            TestClient c = node.connect("hoarder-" + i);
                            for (int k = 0; k < 3; k++) {
                                ServerFrame page = c.request(Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST));
                                assertTrue(page.getSerializedSize() > 25_000, "a big page");
                            }
                            c.drop();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : runs) {
                    f.get(150, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            TestNode.awaitCount(() -> node.node().counts().sessions() == 100, "the hoarders' sessions closed");
            long grown = SlowConsumerIT.heapAfterGc() - before;
            long allowed = MemoryBudget.resumeStoreBytes(node.node().config()) + (24L << 20);
            assertTrue(
                    grown <= allowed,
                    cycles + " dropped sessions left " + (grown >> 20) + " MiB after GC; the store's " + "budget is "
                            + (STORE_BYTES >> 20) + " MiB (allowed with slack: " + (allowed >> 20) + " MiB)");
            assertTrue(node.node().counts().resumeRecords() > 0, "the records are kept (their answers are not)");

            // the documented refusal: a retried big answer is not replayed, it is refused as a gap
            TestClient alice = node.connect("alice");
            int listId = alice.nextRequestId();
            assertTrue(alice.requestWithId(listId, Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST))
                    .hasLobbyList());
            String token = alice.welcome().getWelcome().getResumeToken();
            alice.drop();
            TestNode.awaitCount(() -> node.node().sessions().sessionsOf("alice").isEmpty(), "alice dropped");
            TestClient back = TestClient.connectResuming(node.playUri(), TestNode.token("alice"), listId + 1);
            assertTrue(back.request(Req.resume(token, java.util.Map.of())).hasResumed());
            ServerFrame retry = back.requestWithId(listId, Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST));
            assertEquals(ErrorCode.RESUME_FAILED, retry.getError().getCode(), retry::toString);
            assertTrue(retry.getError().getMessage().startsWith("gap:"), retry::toString);
            assertTrue(
                    back.request(Req.list("arena", 100, "", LobbyOrder.LOBBY_ORDER_NEWEST))
                            .hasLobbyList(),
                    "asked anew, it is served");
            back.close();
            for (TestClient h : hosts) {
                h.close();
            }
        }
    }
}
