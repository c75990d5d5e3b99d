package io.tickroom.server.room;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.SessionListener;
import java.nio.ByteBuffer;
import java.util.Collection;
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
    /**
     * The rooms of each session with at least one (what its close leaves; what admin lists): an
     * immutable set replaced under the session's {@code compute}. A session is in a handful of
     * rooms, so a copy per change costs less than a concurrent set per session, and the set is its
     * own snapshot.
     */
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
                r.add(session);
                return r;
            });
            roomsOf.compute(session, (k, set) -> set == null ? Set.of(room) : with(set, room));
        });
        if (added[0]) {
            for (RoomWatcher w : watchers) {
                w.roomAdded(room);
            }
        }
        return joined;
    }

    public void leave(ClientSession session, RoomId room) {
        roomsOf.computeIfPresent(session, (k, set) -> without(set, room));
        boolean[] removed = {false};
        members.computeIfPresent(room, (k, m) -> {
            m.remove(session);
            removed[0] = m.size() == 0;
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
        return s == null ? Set.of() : s;
    }

    private static Set<RoomId> with(Set<RoomId> set, RoomId added) {
        if (set.contains(added)) {
            return set;
        }
        HashSet<RoomId> out = new HashSet<>(set);
        out.add(added);
        return Set.copyOf(out);
    }

    /** The set without {@code removed}; null (the key removed) when nothing is left. */
    private static Set<RoomId> without(Set<RoomId> set, RoomId removed) {
        if (!set.contains(removed)) {
            return set;
        }
        HashSet<RoomId> out = new HashSet<>(set);
        out.remove(removed);
        return out.isEmpty() ? null : Set.copyOf(out);
    }

    /** Whether the session is in the room. */
    public boolean isIn(ClientSession session, RoomId room) {
        Members m = members.get(room);
        return m != null && m.contains(session);
    }

    /**
     * The local members of a room, each once: a snapshot while the room is small, a live view once
     * it is big (see {@link Members}); empty when the room does not exist.
     */
    public Collection<ClientSession> members(RoomId room) {
        Members m = members.get(room);
        return m == null ? List.of() : m.view();
    }

    /**
     * The local members of a room as an array to deliver to: every session that was a member when
     * the call began, and maybe one that joined or left while it ran (as iterating {@link #members}
     * would). Shared: do not change it.
     */
    ClientSession[] deliveryList(RoomId room) {
        Members m = members.get(room);
        ClientSession[] copy = m == null ? NOBODY : m.current();
        if (copy != null) {
            return copy;
        }
        ClientSession[][] made = {NOBODY};
        members.computeIfPresent(room, (k, r) -> {
            made[0] = r.copyForDelivery();
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
            n += m.size();
        }
        return n;
    }

    private static final ClientSession[] NOBODY = new ClientSession[0];

    /**
     * One room's local members. Every change runs under the map's {@code compute} on the room's
     * key, which serializes them; readers take no lock. A small room (up to {@link #ARRAY_MAX}: a
     * user's room, a match, most lobbies) is an immutable array replaced whole on each change, so
     * it is at once the set, its snapshot and the delivery list, with nothing more per room. A room
     * that grows past that (a lounge) becomes a concurrent set for good, plus an array copy for
     * the delivery loops that every change clears and the first delivery after it makes, under
     * the same {@code compute}: a broadcast to N walks an array instead of a set's nodes, a copy
     * never misses a member who joined before it was asked for nor holds one who left, and a
     * lounge filling at 400 joins a second is copied once per delta push, not once per join.
     */
    private static final class Members {
        static final int ARRAY_MAX = 16;
        /** The members while the room is small (never changed in place); unused once {@link #big} is set. */
        private volatile ClientSession[] small = NOBODY;
        /** Null while the room is small. */
        private volatile Set<ClientSession> big;
        /** A big room's delivery copy; null after a change until a delivery makes it. */
        private volatile ClientSession[] copy;

        /** Under the room's compute. */
        void add(ClientSession s) {
            Set<ClientSession> b = big;
            if (b != null) {
                b.add(s);
                copy = null;
                return;
            }
            ClientSession[] now = small;
            for (ClientSession m : now) {
                if (m == s) {
                    return;
                }
            }
            if (now.length < ARRAY_MAX) {
                ClientSession[] next = java.util.Arrays.copyOf(now, now.length + 1);
                next[now.length] = s;
                small = next;
                return;
            }
            Set<ClientSession> grown = ConcurrentHashMap.newKeySet();
            Collections.addAll(grown, now);
            grown.add(s);
            copy = null;
            big = grown; // readers that still see the array see every member but the newest
        }

        /** Under the room's compute. */
        void remove(ClientSession s) {
            Set<ClientSession> b = big;
            if (b != null) {
                if (b.remove(s)) {
                    copy = null;
                }
                return;
            }
            ClientSession[] now = small;
            for (int k = 0; k < now.length; k++) {
                if (now[k] == s) {
                    ClientSession[] next = new ClientSession[now.length - 1];
                    System.arraycopy(now, 0, next, 0, k);
                    System.arraycopy(now, k + 1, next, k, now.length - k - 1);
                    small = next;
                    return;
                }
            }
        }

        boolean contains(ClientSession s) {
            Set<ClientSession> b = big;
            if (b != null) {
                return b.contains(s);
            }
            for (ClientSession m : small) {
                if (m == s) {
                    return true;
                }
            }
            return false;
        }

        int size() {
            Set<ClientSession> b = big;
            return b != null ? b.size() : small.length;
        }

        Collection<ClientSession> view() {
            Set<ClientSession> b = big;
            return b != null
                    ? Collections.unmodifiableSet(b)
                    : Collections.unmodifiableList(java.util.Arrays.asList(small));
        }

        /** The delivery list when it can be had without the lock: null when a big room's copy must be made. */
        ClientSession[] current() {
            return big != null ? copy : small;
        }

        /** Under the room's compute. */
        ClientSession[] copyForDelivery() {
            Set<ClientSession> b = big;
            if (b == null) {
                return small;
            }
            ClientSession[] c = copy;
            if (c == null) {
                c = b.toArray(NOBODY);
                copy = c;
            }
            return c;
        }
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
