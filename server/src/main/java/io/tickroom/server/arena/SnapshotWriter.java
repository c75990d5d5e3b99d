package io.tickroom.server.arena;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;

/**
 * Writes an {@code ArenaSnapshot} field by field into one exactly sized array, with protobuf's
 * own {@link CodedOutputStream} over it: the bytes protobuf would encode (proto3: fields at their defaults are left out, in field-number order), without a
 * builder and a message per player per tick, which were most of what the tick thread allocated
 * (benchmarks/README.md). {@code SnapshotWriterTest} checks it against protobuf's own encoding.
 * A game of one's own may simply build its messages; this is the arena's, on the hot path of
 * every benchmark. Not thread-safe: one per game, used on its tick thread.
 */
final class SnapshotWriter {
    private final int[] playerSizes;
    private int players;
    private final ByteString[] ids;
    private final float[] xs;
    private final float[] ys;
    private final boolean[] connected;
    private final int[] scores;
    private final long[] lastInputs;

    SnapshotWriter(int seats) {
        playerSizes = new int[seats];
        ids = new ByteString[seats];
        xs = new float[seats];
        ys = new float[seats];
        connected = new boolean[seats];
        scores = new int[seats];
        lastInputs = new long[seats];
    }

    /** Starts a snapshot (players are added in order, at most one per seat). */
    SnapshotWriter clear() {
        players = 0;
        return this;
    }

    SnapshotWriter player(ByteString id, float x, float y, boolean isConnected, int score, long lastInputMs) {
        int i = players++;
        ids[i] = id;
        xs[i] = x;
        ys[i] = y;
        connected[i] = isConnected;
        scores[i] = score;
        lastInputs[i] = lastInputMs;
        int size = (id.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(1, id))
                + (Float.floatToRawIntBits(x) != 0 ? CodedOutputStream.computeFloatSize(2, x) : 0)
                + (Float.floatToRawIntBits(y) != 0 ? CodedOutputStream.computeFloatSize(3, y) : 0)
                + (isConnected ? CodedOutputStream.computeBoolSize(4, true) : 0)
                + (score != 0 ? CodedOutputStream.computeInt32Size(5, score) : 0) // a negative one is ten bytes
                + (lastInputMs != 0 ? CodedOutputStream.computeInt64Size(6, lastInputMs) : 0);
        playerSizes[i] = size;
        return this;
    }

    /** The snapshot of {@code tick} with the players added since {@link #clear}. */
    ByteString write(long tick, long serverTimeMs, long serverTimeUs) {
        int size = (tick != 0 ? CodedOutputStream.computeUInt64Size(1, tick) : 0)
                + (serverTimeMs != 0 ? CodedOutputStream.computeInt64Size(3, serverTimeMs) : 0)
                + (serverTimeUs != 0 ? CodedOutputStream.computeInt64Size(4, serverTimeUs) : 0);
        for (int i = 0; i < players; i++) {
            size += CodedOutputStream.computeTagSize(2)
                    + CodedOutputStream.computeUInt32SizeNoTag(playerSizes[i])
                    + playerSizes[i];
        }
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out); // protobuf's own writer over our array
        try {
            if (tick != 0) {
                o.writeUInt64(1, tick);
            }
            for (int i = 0; i < players; i++) {
                o.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                o.writeUInt32NoTag(playerSizes[i]);
                if (!ids[i].isEmpty()) {
                    o.writeBytes(1, ids[i]);
                }
                if (Float.floatToRawIntBits(xs[i]) != 0) {
                    o.writeFloat(2, xs[i]);
                }
                if (Float.floatToRawIntBits(ys[i]) != 0) {
                    o.writeFloat(3, ys[i]);
                }
                if (connected[i]) {
                    o.writeBool(4, true);
                }
                if (scores[i] != 0) {
                    o.writeInt32(5, scores[i]);
                }
                if (lastInputs[i] != 0) {
                    o.writeInt64(6, lastInputs[i]);
                }
            }
            if (serverTimeMs != 0) {
                o.writeInt64(3, serverTimeMs);
            }
            if (serverTimeUs != 0) {
                o.writeInt64(4, serverTimeUs);
            }
            o.checkNoSpaceLeft();
        } catch (java.io.IOException e) { // written past the size; short of it, checkNoSpaceLeft throws
            throw new IllegalStateException("snapshot sized " + size + ", written otherwise: " + e, e);
        }
        return UnsafeByteOperations.unsafeWrap(out); // never written again: no copy needed
    }
}
