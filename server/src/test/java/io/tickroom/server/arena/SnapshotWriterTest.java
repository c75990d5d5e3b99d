package io.tickroom.server.arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.arena.ArenaPlayer;
import io.tickroom.protocol.v1.arena.ArenaSnapshot;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {
    private static final float[] FLOATS = {0f, -0f, 1.5f, 1000f, Float.MIN_VALUE, Float.NaN};
    private static final int[] INTS = {0, 1, 127, 128, -1, Integer.MIN_VALUE, Integer.MAX_VALUE};
    private static final long[] LONGS = {0, 1, 127, 128, 1_764_633_600_000L, -1, Long.MAX_VALUE};
    private static final String[] IDS = {"", "u", "user-0123456789", "é".repeat(80)};

    /** The hand-written snapshot is byte for byte protobuf's encoding, over random players at every edge. */
    @Test
    void aWrittenSnapshotIsTheSameBytesAsTheEncodedMessage() {
        Random random = new Random(42);
        SnapshotWriter writer = new SnapshotWriter(16);
        for (int run = 0; run < 2_000; run++) {
            long tick = LONGS[random.nextInt(LONGS.length)];
            long now = LONGS[random.nextInt(LONGS.length)];
            long nowUs = LONGS[random.nextInt(LONGS.length)];
            ArenaSnapshot.Builder expected = ArenaSnapshot.newBuilder()
                    .setTick(tick)
                    .setServerTimeMs(now)
                    .setServerTimeUs(nowUs);
            writer.clear();
            int players = random.nextInt(17);
            for (int i = 0; i < players; i++) {
                String id = IDS[random.nextInt(IDS.length)];
                float x = FLOATS[random.nextInt(FLOATS.length)];
                float y = FLOATS[random.nextInt(FLOATS.length)];
                boolean connected = random.nextBoolean();
                int score = INTS[random.nextInt(INTS.length)];
                long last = LONGS[random.nextInt(LONGS.length)];
                expected.addPlayers(ArenaPlayer.newBuilder()
                        .setUserId(id)
                        .setX(x)
                        .setY(y)
                        .setConnected(connected)
                        .setScore(score)
                        .setLastInputClientTimeMs(last));
                writer.player(ByteString.copyFromUtf8(id), x, y, connected, score, last);
            }
            assertArrayEquals(
                    expected.build().toByteArray(),
                    writer.write(tick, now, nowUs).toByteArray(),
                    "run " + run + ": " + expected);
        }
    }
}
