package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.NetConfig;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.testing.RawWebSocket;
import io.tickroom.server.testing.TestNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The stalled write of issue 13, looked for directly: a peer that keeps reading, but in bursts
 * with pauses and through a small receive buffer, so the socket is full and the session's writes wait
 * for it again and again, while two threads (as the tick and lobby threads do) offer frames of
 * mixed sizes to its session with every in-flight slot in use. With a write timeout of 2 s, far
 * above the reader's longest pause, any write whose completion is lost shows up as the session
 * dropped; every frame must arrive, each thread's in its order, and the queue end empty.
 */
@Timeout(120)
class WriteStallIT {
    private static final int PRODUCERS = 2;
    private static final int FRAMES_EACH = 3_000;
    // around each header size of RFC 6455 (7-bit, 16-bit and 64-bit lengths) and typical frames
    private static final int[] SIZES = {64, 125, 126, 700, 2_048, 20_000, 65_535, 65_536, 70_001};

    @Test
    void aPausingReaderGetsEveryFrameAndNoWriteStalls() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(stallConfig(c.net())))) {
            try (RawWebSocket reader = new RawWebSocket(node.port(), TestNode.token("reader"), 4 * 1024)) {
                reader.read(); // the welcome
                ClientSession session =
                        node.node().sessions().sessionsOf("reader").get(0);
                Outbound out = session.outbound();

                ExecutorService producers = Executors.newFixedThreadPool(PRODUCERS);
                List<Future<?>> done = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++) {
                    int id = p;
                    done.add(producers.submit(() -> produce(out, id)));
                }
                int[] next = new int[PRODUCERS];
                SplittableRandom random = new SplittableRandom(13);
                long sinceBreak = 0;
                int received = 0;
                while (received < PRODUCERS * FRAMES_EACH) {
                    RawWebSocket.Frame f = reader.read();
                    if (f.opcode() != RawWebSocket.BINARY) {
                        assertFalse(
                                f.opcode() == RawWebSocket.CLOSE, "closed: " + f.closeCode() + " " + f.closeReason());
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.wrap(f.payload());
                    int producer = b.get();
                    int index = b.getInt();
                    assertEquals(next[producer], index, "producer " + producer + "'s frames in order");
                    next[producer]++;
                    received++;
                    sinceBreak += f.payload().length;
                    if (sinceBreak > 256 * 1024) {
                        // the reader under test: it stops reading now and then (not a wait for anything)
                        Thread.sleep(5 + random.nextInt(60));
                        sinceBreak = 0;
                    }
                }
                for (Future<?> f : done) {
                    f.get(10, TimeUnit.SECONDS);
                }
                producers.shutdown();
                TestNode.awaitCount(
                        () -> out.heldBytes() == 0, "every write completed: " + out.heldBytes() + " bytes held");
                assertFalse(out.isClosed(), "the session was never dropped");
                assertEquals(PRODUCERS * FRAMES_EACH + 1, out.framesSent(), "the welcome and every frame");
            }
            node.awaitZeroCounts();
        }
    }

    /** Offers this producer's frames, keeping at most a few hundred queued (well under the limits). */
    private static void produce(Outbound out, int id) {
        SplittableRandom random = new SplittableRandom(id);
        for (int i = 0; i < FRAMES_EACH; i++) {
            ByteBuffer frame = ByteBuffer.allocate(SIZES[random.nextInt(SIZES.length)]);
            frame.put((byte) id).putInt(i).clear();
            while (out.queuedFrames() > 200 || out.heldBytes() > 2 << 20) {
                LockSupport.parkNanos(100_000); // a producer's backpressure, not a test's wait
            }
            assertTrue(out.offer(frame.asReadOnlyBuffer()), "offered");
        }
    }

    private static NetConfig stallConfig(NetConfig n) {
        return new NetConfig(
                        n.host(),
                        n.port(),
                        n.advertiseUrl(),
                        n.allowedOrigins(),
                        n.maxFrameBytes(),
                        30_000,
                        10_000,
                        n.outboundQueueFrames(),
                        n.maxInFlightFrames(),
                        2_000,
                        n.shutdownGraceMs(),
                        false)
                .withOutboundQueueBytes(8 << 20);
    }
}
