package io.tickroom.server.arena;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;

/**
 * Writes an {@code ArenaSnapshot} field by field into one exactly sized array: the bytes protobuf
 * would encode (proto3: fields at their defaults are left out, in field-number order), without a
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
        int size = (id.isEmpty() ? 0 : 1 + varintSize(id.size()) + id.size())
                + (Float.floatToRawIntBits(x) != 0 ? 5 : 0)
                + (Float.floatToRawIntBits(y) != 0 ? 5 : 0)
                + (isConnected ? 2 : 0)
                + (score != 0 ? 1 + varintSize(score) : 0) // int32: a negative one is ten bytes, as protobuf
                + (lastInputMs != 0 ? 1 + varintSize(lastInputMs) : 0);
        playerSizes[i] = size;
        return this;
    }

    /** The snapshot of {@code tick} with the players added since {@link #clear}. */
    ByteString write(long tick, long serverTimeMs, long serverTimeUs) {
        int size = (tick != 0 ? 1 + varintSize(tick) : 0)
                + (serverTimeMs != 0 ? 1 + varintSize(serverTimeMs) : 0)
                + (serverTimeUs != 0 ? 1 + varintSize(serverTimeUs) : 0);
        for (int i = 0; i < players; i++) {
            size += 1 + varintSize(playerSizes[i]) + playerSizes[i];
        }
        byte[] out = new byte[size];
        int at = 0;
        if (tick != 0) {
            out[at++] = 1 << 3;
            at = varint(out, at, tick);
        }
        for (int i = 0; i < players; i++) {
            out[at++] = 2 << 3 | 2;
            at = varint(out, at, playerSizes[i]);
            if (!ids[i].isEmpty()) {
                out[at++] = 1 << 3 | 2;
                at = varint(out, at, ids[i].size());
                ids[i].copyTo(out, at);
                at += ids[i].size();
            }
            at = fixed32(out, at, 2, xs[i]);
            at = fixed32(out, at, 3, ys[i]);
            if (connected[i]) {
                out[at++] = 4 << 3;
                out[at++] = 1;
            }
            if (scores[i] != 0) {
                out[at++] = 5 << 3;
                at = varint(out, at, scores[i]);
            }
            if (lastInputs[i] != 0) {
                out[at++] = 6 << 3;
                at = varint(out, at, lastInputs[i]);
            }
        }
        if (serverTimeMs != 0) {
            out[at++] = 3 << 3;
            at = varint(out, at, serverTimeMs);
        }
        if (serverTimeUs != 0) {
            out[at++] = 4 << 3;
            at = varint(out, at, serverTimeUs);
        }
        if (at != size) {
            throw new IllegalStateException("snapshot sized " + size + ", written " + at);
        }
        return UnsafeByteOperations.unsafeWrap(out); // never written again: no copy needed
    }

    private static int fixed32(byte[] out, int at, int field, float v) {
        int bits = Float.floatToRawIntBits(v);
        if (bits == 0) {
            return at;
        }
        out[at++] = (byte) (field << 3 | 5);
        out[at++] = (byte) bits;
        out[at++] = (byte) (bits >>> 8);
        out[at++] = (byte) (bits >>> 16);
        out[at++] = (byte) (bits >>> 24);
        return at;
    }

    /** The size of {@code v} as a varint (an int is sign-extended to 64 bits, as protobuf's int32). */
    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            n++;
            v >>>= 7;
        }
        return n;
    }

    private static int varint(byte[] out, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            out[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }
}
