package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.NetConfig;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.testing.RawWebSocket;
import io.tickroom.server.testing.TestNode;
import java.io.EOFException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The peer closes while frames of ours are still being written: the session's writer
 * ({@link JettySink}) writes its frames itself and Jetty answers the close with a write of its
 * own, so the answer must wait until our write in flight has completed ({@link JettySink#whenIdle}).
 * Were it written in the middle of one of our frames, the peer would read a torn frame. The
 * reader here stops reading (a 4 KiB receive buffer) while megabytes are queued, sends CLOSE, then
 * reads: whole frames in the order offered, then the close answer with the peer's code, then the
 * end of the stream, and the node's counts return to zero.
 */
@Timeout(60)
class PeerCloseMidStreamIT {
    private static final int FRAMES = 96;
    private static final int SIZE = 60_000;

    @Test
    void aCloseFromThePeerIsAnsweredAfterTheFrameInFlightNeverInsideIt() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(bigQueue(c.net())))) {
            try (RawWebSocket peer = new RawWebSocket(node.port(), TestNode.token("closer"), 4 * 1024)) {
                peer.read(); // the welcome
                Outbound out =
                        node.node().sessions().sessionsOf("closer").get(0).outbound();
                for (int i = 0; i < FRAMES; i++) {
                    assertTrue(out.offer(frame(i)), "frame " + i + " offered");
                }
                TestNode.awaitCount(() -> out.inFlight() > 0, "a write in flight to the reader that does not read");

                peer.send(RawWebSocket.CLOSE, new byte[] {0x03, (byte) 0xE8}); // 1000, normal

                int next = 0;
                RawWebSocket.Frame f;
                while ((f = peer.read()).opcode() == RawWebSocket.BINARY) {
                    assertArrayEquals(frame(next).array(), f.payload(), "frame " + next + " whole and in order");
                    next++;
                }
                assertEquals(RawWebSocket.CLOSE, f.opcode(), "after the data, the close answer");
                assertEquals(1000, f.closeCode(), "the peer's code echoed");
                assertTrue(next > 0, "the frame in flight when the close came was written whole before the answer");
                assertThrows(EOFException.class, peer::read, "nothing after the close answer");
            }
            node.awaitZeroCounts();
        }
    }

    private static ByteBuffer frame(int index) {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        for (int i = 0; i < SIZE; i++) {
            b.put(i, (byte) (index * 31 + i));
        }
        return b;
    }

    private static NetConfig bigQueue(NetConfig n) {
        return n.withOutboundQueueBytes(16 << 20);
    }
}
