package io.tickroom.server.room;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Sequences;

/**
 * Reliable pushes: a stream is a room ({@code lobby:{id}}, {@code user:{id}}) whose pushes carry
 * an increasing seq. Numbering and queueing happen under the stream's lock, so every member
 * receives a stream's pushes in seq order. Lock order: a caller may hold a lobby lock when it
 * publishes; this class never takes another lock while holding a stream lock.
 */
public final class Streams {
    private final Rooms rooms;
    private final Sequences sequences;
    private final StripedLocks locks = new StripedLocks(256);

    public Streams(Rooms rooms, Sequences sequences) {
        this.rooms = rooms;
        this.sequences = sequences;
    }

    /**
     * Numbers the frame on the stream and emits it, encoded once, to the stream's room. A push to
     * a stream nobody on this node is listening to is dropped and numbers nothing (there is no
     * store to replay it from yet), so a stream's counter never outlives its listeners.
     */
    public long publish(String stream, ServerFrame.Builder frame) {
        synchronized (locks.of(stream)) {
            if (rooms.members(stream).isEmpty()) {
                return 0;
            }
            long seq = sequences.next(stream);
            rooms.to(stream).emit(frame.setStream(stream).setSeq(seq).build());
            return seq;
        }
    }

    /** The last seq published on the stream (0 if none). */
    public long current(String stream) {
        return sequences.current(stream);
    }

    /** The stream's owner is gone (lobby removed, user offline): drop its counter. */
    public void forget(String stream) {
        sequences.forget(stream);
    }

    public int streamCount() {
        return sequences.streamCount();
    }
}
