package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.session.Outbound;
import io.tickroom.server.testing.RawWebSocket;
import io.tickroom.server.testing.TestNode;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The direct path of the session's writer ({@link JettySink#send}): a frame sent while nothing is
 * in flight is framed into the thread's own buffer and written at once, with {@code write(2)} on
 * the node's plain sockets; what the socket does not
 * take is copied out and written through Jetty, and every frame sent meanwhile waits behind it.
 * A reader behind a 4 KiB receive buffer that does not read makes almost every direct write a
 * partial one (every size here is one the direct path takes, so the first write the socket does
 * not take whole is a direct one; the 125/126 length forms, empty, and the largest it takes). The
 * frames sent behind it go through the gathering writer. The reader must then get
 * every frame whole and in the order offered, and the counts return to zero.
 */
@Timeout(60)
class DirectWriteIT {
    private static final int[] SIZES = {
        1, 125, 126, 3_000, JettySink.DIRECT_MAX - 10, 0, JettySink.DIRECT_MAX - 10, 12_000
    };
    /** 880 frames (under the queue's 1,024), 6.1 MB: more than loopback's send buffer holds. */
    private static final int ROUNDS = 110;

    @Test
    void framesThatTheSocketTakesInPiecesArriveWholeAndInOrder() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(c.net().withOutboundQueueBytes(16 << 20)))) {
            long plainBefore = JettySink.plainSinks();
            try (RawWebSocket peer = new RawWebSocket(node.port(), TestNode.token("slow"), 4 * 1024)) {
                peer.read(); // the welcome
                // the node's tracked endpoint is a plain socket: the direct path writes it with
                // write(2), and the partial writes below are that path's (once it was never taken)
                assertEquals(
                        1, JettySink.plainSinks() - plainBefore, "the connection's sink writes its socket plainly");
                Outbound out = node.node().sessions().sessionsOf("slow").get(0).outbound();
                int frames = ROUNDS * SIZES.length;
                long leftOverBefore = JettySink.directWritesLeftOver();
                for (int i = 0; i < frames; i++) {
                    assertTrue(out.offer(frame(i)), "frame " + i + " offered");
                }
                TestNode.awaitCount(() -> out.inFlight() > 0, "a write in flight to the reader that does not read");
                for (int i = 0; i < frames; i++) {
                    RawWebSocket.Frame f = peer.read();
                    assertEquals(RawWebSocket.BINARY, f.opcode(), "frame " + i + " is data");
                    assertArrayEquals(bytes(i), f.payload(), "frame " + i + " whole and in order");
                }
                TestNode.awaitCount(() -> out.inFlight() == 0 && out.heldBytes() == 0, "every write completed");
                assertTrue(
                        JettySink.directWritesLeftOver() > leftOverBefore,
                        "some direct writes were taken in part (the path under test ran)");
                assertEquals(
                        frames, out.writesCompleted() - 1, "every frame's write completed once (and the welcome's)");
            }
            node.awaitZeroCounts();
        }
    }

    /** Frame {@code index}, read-only and shared as a broadcast's frames are. */
    private static ByteBuffer frame(int index) {
        return ByteBuffer.wrap(bytes(index)).asReadOnlyBuffer();
    }

    /** Frame {@code index}'s payload: its size from {@link #SIZES}, its bytes from its index. */
    private static byte[] bytes(int index) {
        byte[] b = new byte[SIZES[index % SIZES.length]];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (index * 31 + i);
        }
        return b;
    }
}
