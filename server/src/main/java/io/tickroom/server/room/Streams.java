package io.tickroom.server.room;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.cluster.ReplayLog;
import io.tickroom.server.cluster.Sequences;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Reliable pushes: a stream is a room whose kind is a stream ({@link RoomId.Kind#isStream}: a
 * lobby, a user) and whose pushes carry an increasing seq. Numbering and queueing happen under the stream's lock, so every member
 * receives a stream's pushes in seq order. Lock order: a caller may hold a lobby lock when it
 * publishes; this class never takes another lock while holding a stream lock.
 *
 * <p>{@link #publish} may wait on Redis (clustered): lanes and background threads call it. A
 * thread that must never wait (a tick thread) calls {@link #publishLater}, which hands the push
 * to a bounded single-writer outbox (see {@link PushOutbox} for its capacity and overflow policy).
 */
public final class Streams implements Rooms.RoomWatcher, AutoCloseable {
    private final Rooms rooms;
    private final Sequences sequences;
    private final MessageBus bus;
    private final ReplayLog replay;
    private volatile Tap tap = (stream, body) -> {};
    /** The last seq delivered here per listened stream (what to raise counters to after a Redis loss). */
    private final java.util.Map<RoomId, Long> lastDelivered = new java.util.concurrent.ConcurrentHashMap<>();
    /** Pushes from threads that must not wait, published in order by one writer thread. */
    private final PushOutbox outbox;

    /**
     * Sees every push this node delivers from the bus, before its local members get it (on the
     * bus's delivery thread, in stream order; it must not wait). Membership changes do not come
     * this way: they are control messages between nodes, not data.
     */
    @FunctionalInterface
    public interface Tap {
        void delivered(RoomId stream, byte[] body);
    }

    public void tap(Tap t) {
        this.tap = t;
    }

    /**
     * Pushes go through the bus, which numbers them, appends them to the replay log and delivers
     * them to every node listening (this one included; single node, only this one); the node
     * listens to a stream while its room has local members.
     */
    public Streams(
            Rooms rooms,
            Sequences sequences,
            MessageBus bus,
            ReplayLog replay,
            java.util.concurrent.ThreadFactory outboxThread) {
        this.rooms = rooms;
        this.sequences = sequences;
        this.bus = bus;
        this.replay = replay;
        bus.onDelivery(this::delivered);
        rooms.watch(this);
        this.outbox = new PushOutbox(outboxThread, this::publish);
    }

    /** Starts the outbox's writer thread (the node's start, before the tick threads). */
    public void start() {
        outbox.start();
    }

    @Override
    public void roomAdded(RoomId room) {
        if (room.isStream()) {
            bus.listen(room.name());
        }
    }

    @Override
    public void roomRemoved(RoomId room) {
        if (room.isStream()) {
            bus.unlisten(room.name());
            lastDelivered.remove(room);
        }
    }

    /** A numbered push from the bus: encode the envelope once, emit to the local members. */
    private void delivered(String name, long seq, byte[] body) {
        RoomId stream = RoomId.parse(name).orElse(null);
        if (stream == null) {
            return; // not a stream this node listens to
        }
        tap.delivered(stream, body);
        if (rooms.members(stream).isEmpty()) {
            lastDelivered.remove(stream);
        } else {
            lastDelivered.put(stream, seq);
        }
        rooms.to(stream).emitReliable(envelope(stream, seq, body), stream, seq);
    }

    /**
     * The frame a member receives: the envelope (stream, seq) and the body encoded separately and
     * concatenated (protobuf merges concatenated encodings into one ServerFrame), so the body is
     * encoded once for the bus, the replay log and every member.
     */
    private static ByteBuffer envelope(RoomId stream, long seq, byte[] body) {
        byte[] head = ServerFrame.newBuilder()
                .setStream(stream.name())
                .setSeq(seq)
                .build()
                .toByteArray();
        byte[] frame = new byte[head.length + body.length];
        System.arraycopy(head, 0, frame, 0, head.length);
        System.arraycopy(body, 0, frame, head.length, body.length);
        return ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    /** What a resume replays of one stream: the frames after {@code afterSeq}, ready to send. */
    public record Replayed(List<ByteBuffer> frames, long lastSeq, boolean gap) {}

    /** The pushes of {@code stream} after {@code afterSeq} (at most {@code max}), from the replay log. */
    public Replayed replay(RoomId stream, long afterSeq, int max) {
        ReplayLog.Replay r = replay.after(stream.name(), afterSeq, max);
        List<ByteBuffer> frames = new java.util.ArrayList<>(r.seqs().size());
        for (int i = 0; i < r.seqs().size(); i++) {
            frames.add(envelope(stream, r.seqs().get(i), r.bodies().get(i)));
        }
        long last = r.seqs().isEmpty() ? afterSeq : r.seqs().get(r.seqs().size() - 1);
        return new Replayed(frames, last, r.gapAfter(afterSeq));
    }

    /**
     * Numbers the frame on the stream, appends it to the replay log and emits it, encoded once, to
     * the stream's room. A push to a stream nobody is listening to is dropped and numbers nothing,
     * so a stream's counter never outlives its listeners (a resuming member's held lobby seat is
     * listened to by the other members; a user with no session anywhere has nothing to miss). Returns how many got it:
     * the listening nodes; 0 means nobody.
     *
     * <p>A lobby state on its lobby's stream carries the lobby's version, and the bus drops one no
     * newer than the last it published there; on any other stream (a user's, whose pushes come
     * from many lobbies) nothing is dropped for its version.
     */
    public long publish(RoomId stream, ServerFrame.Builder frame) {
        long version = stream.kind() == RoomId.Kind.LOBBY && frame.hasLobbyState()
                ? frame.getLobbyState().getVersion()
                : -1;
        return bus.publish(
                stream.name(), version, frame.clearStream().clearSeq().build().toByteArray());
    }

    /**
     * Publishes off the calling thread: the push joins the outbox and its writer thread publishes
     * it (in the order offered). Never waits. Returns false when the push was dropped because the
     * outbox is full (policy: drop newest; counted in {@link #outboxDropped}).
     */
    public boolean publishLater(RoomId stream, ServerFrame.Builder frame) {
        return outbox.offer(stream, frame);
    }

    /** Pushes the outbox dropped (it was full, or the node was stopping). */
    public long outboxDropped() {
        return outbox.dropped();
    }

    /** Pushes from the outbox whose publish failed (Redis unreachable). */
    public long outboxFailed() {
        return outbox.failed();
    }

    /** Pushes waiting in the outbox now. */
    public int outboxWaiting() {
        return outbox.waiting();
    }

    /** The node stops: the outbox takes no more pushes and lets the queued ones out (at most a second). */
    @Override
    public void close() {
        outbox.close();
    }

    /**
     * After Redis came back empty: raises every stream counter to what this node's
     * members last saw, so seqs keep increasing for them.
     */
    public void restoreCounters() {
        lastDelivered.forEach((stream, seq) -> bus.raise(stream.name(), seq));
    }

    /** The last seq published on the stream (0 if none). */
    public long current(RoomId stream) {
        return sequences.current(stream.name());
    }

    /** The stream's owner is gone (lobby removed, user offline): drop its counter. */
    public void forget(RoomId stream) {
        sequences.forget(stream.name());
        replay.forget(stream.name());
    }

    /** Streams listened to, counted or logged here, whichever is most (a leak check). */
    public int streamCount() {
        return Math.max(bus.listening(), Math.max(sequences.streamCount(), replay.streamCount()));
    }
}
