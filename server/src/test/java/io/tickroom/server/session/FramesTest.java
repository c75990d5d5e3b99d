package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.MatchSnapshot;
import io.tickroom.protocol.v1.ServerFrame;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class FramesTest {
    /** The hand-written snapshot frame is byte for byte what protobuf encodes, at every edge. */
    @Test
    void aSnapshotFrameIsTheSameBytesAsTheEncodedMessage() {
        String[] ids = {"", "m", "match-0123456789ab", "é".repeat(70)};
        long[] ticks = {0, 1, 127, 128, 16_383, 16_384, Long.MAX_VALUE, -1};
        int[] sizes = {0, 1, 100, 127, 128, 300, 20_000};
        for (String id : ids) {
            for (long tick : ticks) {
                for (int size : sizes) {
                    byte[] p = new byte[size];
                    for (int i = 0; i < size; i++) {
                        p[i] = (byte) (i * 7 + size);
                    }
                    ByteString payload = ByteString.copyFrom(p);
                    byte[] expected = ServerFrame.newBuilder()
                            .setMatchSnapshot(MatchSnapshot.newBuilder()
                                    .setMatchId(id)
                                    .setTick(tick)
                                    .setPayload(payload))
                            .build()
                            .toByteArray();
                    ByteBuffer got = Frames.snapshot(ByteString.copyFromUtf8(id), tick, payload);
                    assertTrue(got.isReadOnly(), "shared frames are read-only");
                    byte[] bytes = new byte[got.remaining()];
                    got.duplicate().get(bytes);
                    assertArrayEquals(expected, bytes, "id '" + id + "', tick " + tick + ", payload " + size);
                }
            }
        }
    }
}
