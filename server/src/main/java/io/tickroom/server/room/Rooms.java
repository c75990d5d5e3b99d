package io.tickroom.server.room;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.SessionListener;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms of this node: which local sessions are in which room, and which rooms each session
 * is in. A room exists while it has a member (an empty room is removed at once, so the maps are
 * bounded by memberships). Every session joins its user room when it opens and leaves every room
 * when it closes (both on its lane). A join from any thread happens only while the session is
 * alive, atomically with respect to its close ({@link ClientSession#ifAlive}), so no membership
 * outlives a session; a leave is safe from any thread.
 */
public final class Rooms implements SessionListener {
    private final Map<RoomId, Members> members = new ConcurrentHashMap<>();
    /** The rooms of each session with at least one (what its close leaves; what admin lists). */
    private final Map<ClientSession, Set<RoomId>> roomsOf = new ConcurrentHashMap<>();

    private final List<RoomWatcher> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when a room gets its first local member and when it loses its last. */
    public interface RoomWatcher {
        default void roomAdded(RoomId room) {}

        default void roomRemoved(RoomId room) {}
    }

    public void watch(RoomWatcher w) {
        watchers.add(w);
    }

    @Override
    public void opened(ClientSession session) {
        join(session, RoomId.user(session.userId()));
    }

    @Override
    public void closed(ClientSession session) {
        leaveAll(session);
    }

    /**
     * Adds the session to the room if the session is alive; returns whether it did. Any thread.
     * The watchers hear of a new room after the membership exists, outside the session's lock.
     */
    public boolean join(ClientSession session, RoomId room) {
        boolean[] added = {false};
        boolean joined = session.ifAlive(() -> {
            members.compute(room, (k, m) -> {
                Members r = m;
                if (r == null) {
                    r = new Members();
                    added[0] = true;
                }
                r.set.add(session);
                r.copy = null;
                return r;
            });
            roomsOf.computeIfAbsent(session, k -> ConcurrentHashMap.newKeySet()).add(room);
        });
        if (added[0]) {
            for (RoomWatcher w : watchers) {
                w.roomAdded(room);
            }
        }
        return joined;
    }

    public void leave(ClientSession session, RoomId room) {
        roomsOf.computeIfPresent(session, (k, set) -> {
            set.remove(room);
            return set.isEmpty() ? null : set;
        });
        boolean[] removed = {false};
        members.computeIfPresent(room, (k, m) -> {
            m.set.remove(session);
            m.copy = null;
            removed[0] = m.set.isEmpty();
            return removed[0] ? null : m;
        });
        if (removed[0]) {
            for (RoomWatcher w : watchers) {
                w.roomRemoved(room);
            }
        }
    }

    public void leaveAll(ClientSession session) {
        for (RoomId room : roomsOf(session)) {
            leave(session, room);
        }
    }

    /** The rooms the session is in now (a snapshot; empty when none). */
    public Set<RoomId> roomsOf(ClientSession session) {
        Set<RoomId> s = roomsOf.get(session);
        return s == null ? Set.of() : Set.copyOf(s);
    }

    /** Whether the session is in the room. */
    public boolean isIn(ClientSession session, RoomId room) {
        Members m = members.get(room);
        return m != null && m.set.contains(session);
    }

    /** The local members of a room (live view; empty when the room does not exist). */
    public Set<ClientSession> members(RoomId room) {
        Members m = members.get(room);
        return m == null ? Collections.emptySet() : Collections.unmodifiableSet(m.set);
    }

    /**
     * The local members of a room as an array to deliver to: every session that was a member when
     * the call began, and maybe one that joined or left while it ran (as iterating {@link #members}
     * would). Shared: do not change it.
     */
    ClientSession[] deliveryList(RoomId room) {
        Members m = members.get(room);
        ClientSession[] copy = m == null ? NOBODY : m.copy;
        if (copy != null) {
            return copy;
        }
        ClientSession[][] made = {NOBODY};
        members.computeIfPresent(room, (k, r) -> {
            if (r.copy == null) {
                r.copy = r.set.toArray(NOBODY);
            }
            made[0] = r.copy;
            return r;
        });
        return made[0];
    }

    /** The rooms with local members now (a live view). */
    public Set<RoomId> roomNames() {
        return Collections.unmodifiableSet(members.keySet());
    }

    public int roomCount() {
        return members.size();
    }

    public int membershipCount() {
        int n = 0;
        for (Members m : members.values()) {
            n += m.set.size();
        }
        return n;
    }

    private static final ClientSession[] NOBODY = new ClientSession[0];

    /**
     * One room's local members, and an array copy of them for the delivery loops: a broadcast to a
     * room of N walks an array instead of a concurrent set's nodes. Every change clears the copy
     * and the first delivery after it makes a new one, both under the map's {@code compute} on
     * the room's key (which already serializes the changes), so a copy never misses a member who
     * joined before it was asked for, never holds one who left, and a lounge filling at 400 joins
     * a second is copied once per delta push, not once per join.
     */
    private static final class Members {
        final Set<ClientSession> set = ConcurrentHashMap.newKeySet();
        /** The delivery copy; null after a change until a delivery makes it (written under the room's compute). */
        volatile ClientSession[] copy;
    }

    /** Starts a delivery to the union of the given rooms. */
    public Emit to(RoomId... rooms) {
        return new Emit(this, List.of(rooms));
    }

    /** Starts a delivery to every session of this node (then narrow it with {@code except}). */
    public Emit toAll(Iterable<ClientSession> everyone) {
        return new Emit(this, everyone);
    }

    /**
     * One delivery: {@code to} rooms (union, each session once), minus sessions in any
     * {@code except} room, minus an excluded sender. {@link #emit} encodes the frame once.
     */
    public static final class Emit {
        private static final int PLAIN = 0;
        private static final int RELIABLE = 1;
        private static final int LATEST = 2;
        private final Rooms rooms;
        private final List<RoomId> to;
        private final Iterable<ClientSession> everyone;
        private List<RoomId> except = List.of();
        private ClientSession excluded;

        private Emit(Rooms rooms, List<RoomId> to) {
            this.rooms = rooms;
            this.to = to;
            this.everyone = null;
        }

        private Emit(Rooms rooms, Iterable<ClientSession> everyone) {
            this.rooms = rooms;
            this.to = List.of();
            this.everyone = everyone;
        }

        public Emit except(RoomId... exceptRooms) {
            this.except = List.of(exceptRooms);
            return this;
        }

        /** Leaves out the sender (Socket.IO's {@code socket.broadcast}). */
        public Emit excluding(ClientSession sender) {
            this.excluded = sender;
            return this;
        }

        /** Encodes once and queues the same bytes for every recipient. Returns the recipient count. */
        public int emit(ServerFrame frame) {
            return emit(Frames.encode(frame));
        }

        public int emit(ByteBuffer encoded) {
            return deliver(PLAIN, encoded, null, 0, null);
        }

        /**
         * Emits a reliable push (numbered {@code seq} on {@code stream}): like
         * {@link #emit(ByteBuffer)}, but each session can drop what a resume already replayed.
         */
        public int emitReliable(ByteBuffer encoded, RoomId stream, long seq) {
            return deliver(RELIABLE, encoded, stream.name(), seq, null); // named once, not per recipient
        }

        /**
         * Emits a volatile frame: each recipient keeps only the newest frame of {@code key}
         * waiting (match snapshots). To one room, no allocation at all.
         */
        public int emitLatest(Object key, ByteBuffer encoded) {
            return deliver(LATEST, encoded, null, 0, key);
        }

        /**
         * Queues the frame once for each recipient: the members of the {@code to} rooms (a
         * session in several of them once) or everyone, less the {@code except} rooms and the
         * excluded sender. One room needs no de-duplication, so it allocates nothing.
         */
        private int deliver(int kind, ByteBuffer encoded, String stream, long seq, Object key) {
            int n = 0;
            if (everyone == null && to.size() == 1) {
                for (ClientSession s : rooms.deliveryList(to.get(0))) {
                    if (accepts(s)) {
                        offer(s, kind, encoded, stream, seq, key);
                        n++;
                    }
                }
                return n;
            }
            Set<ClientSession> seen = new HashSet<>();
            if (everyone != null) {
                for (ClientSession s : everyone) {
                    if (seen.add(s) && accepts(s)) {
                        offer(s, kind, encoded, stream, seq, key);
                        n++;
                    }
                }
                return n;
            }
            for (RoomId room : to) {
                for (ClientSession s : rooms.members(room)) {
                    if (seen.add(s) && accepts(s)) {
                        offer(s, kind, encoded, stream, seq, key);
                        n++;
                    }
                }
            }
            return n;
        }

        private static void offer(ClientSession s, int kind, ByteBuffer encoded, String stream, long seq, Object key) {
            switch (kind) {
                case RELIABLE -> s.outbound().offerReliable(encoded, stream, seq);
                case LATEST -> s.outbound().offerLatest(key, encoded);
                default -> s.outbound().offer(encoded);
            }
        }

        private boolean accepts(ClientSession s) {
            if (s == excluded) {
                return false;
            }
            for (int i = 0; i < except.size(); i++) { // no iterator per recipient
                if (rooms.isIn(s, except.get(i))) {
                    return false;
                }
            }
            return true;
        }
    }
}
