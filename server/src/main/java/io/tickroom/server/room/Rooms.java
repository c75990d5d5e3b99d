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
 * The rooms of this node: which local sessions are in which room. A room exists while it has a
 * member (an empty room is removed at once, so the map is bounded by memberships). Every
 * session joins its user room when it opens and leaves every room when it closes.
 */
public final class Rooms implements SessionListener {
    private final Map<String, Set<ClientSession>> members = new ConcurrentHashMap<>();
    private final List<RoomWatcher> watchers = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told when a room gets its first local member and when it loses its last. */
    public interface RoomWatcher {
        default void roomAdded(String room) {
        }

        default void roomRemoved(String room) {
        }
    }

    public void watch(RoomWatcher w) {
        watchers.add(w);
    }

    public static String userRoom(String userId) {
        return "user:" + userId;
    }

    public static String lobbyRoom(String lobbyId) {
        return "lobby:" + lobbyId;
    }

    public static String matchRoom(String matchId) {
        return "match:" + matchId;
    }

    @Override
    public void opened(ClientSession session) {
        join(session, userRoom(session.userId()));
    }

    @Override
    public void closed(ClientSession session) {
        leaveAll(session);
    }

    public void join(ClientSession session, String room) {
        boolean[] added = {false};
        members.compute(room, (k, set) -> {
            Set<ClientSession> s = set;
            if (s == null) {
                s = ConcurrentHashMap.newKeySet();
                added[0] = true;
            }
            s.add(session);
            return s;
        });
        session.rooms().add(room);
        if (added[0]) {
            for (RoomWatcher w : watchers) {
                w.roomAdded(room);
            }
        }
        if (session.isGone()) {
            // raced with the session's close (another thread held it from before): undo, so
            // the close's leaveAll and this join cannot leave a membership behind
            leave(session, room);
        }
    }

    public void leave(ClientSession session, String room) {
        session.rooms().remove(room);
        boolean[] removed = {false};
        members.computeIfPresent(room, (k, set) -> {
            set.remove(session);
            removed[0] = set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        if (removed[0]) {
            for (RoomWatcher w : watchers) {
                w.roomRemoved(room);
            }
        }
    }

    public void leaveAll(ClientSession session) {
        for (String room : List.copyOf(session.rooms())) {
            leave(session, room);
        }
    }

    /** The local members of a room (live view; empty when the room does not exist). */
    public Set<ClientSession> members(String room) {
        Set<ClientSession> s = members.get(room);
        return s == null ? Collections.emptySet() : Collections.unmodifiableSet(s);
    }

    /** The rooms with local members now (a live view). */
    public Set<String> roomNames() {
        return Collections.unmodifiableSet(members.keySet());
    }

    public int roomCount() {
        return members.size();
    }

    public int membershipCount() {
        int n = 0;
        for (Set<ClientSession> s : members.values()) {
            n += s.size();
        }
        return n;
    }

    /** Starts a delivery to the union of the given rooms. */
    public Emit to(String... rooms) {
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
        private final Rooms rooms;
        private final List<String> to;
        private final Iterable<ClientSession> everyone;
        private List<String> except = List.of();
        private ClientSession excluded;

        private Emit(Rooms rooms, List<String> to) {
            this.rooms = rooms;
            this.to = to;
            this.everyone = null;
        }

        private Emit(Rooms rooms, Iterable<ClientSession> everyone) {
            this.rooms = rooms;
            this.to = List.of();
            this.everyone = everyone;
        }

        public Emit except(String... exceptRooms) {
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
            int n = 0;
            if (everyone == null && to.size() == 1) {
                for (ClientSession s : rooms.members(to.get(0))) {
                    if (accepts(s)) {
                        s.outbound().offer(encoded);
                        n++;
                    }
                }
                return n;
            }
            Set<ClientSession> seen = new HashSet<>();
            Iterable<ClientSession> sources = everyone;
            if (sources != null) {
                for (ClientSession s : sources) {
                    if (seen.add(s) && accepts(s)) {
                        s.outbound().offer(encoded);
                        n++;
                    }
                }
                return n;
            }
            for (String room : to) {
                for (ClientSession s : rooms.members(room)) {
                    if (seen.add(s) && accepts(s)) {
                        s.outbound().offer(encoded);
                        n++;
                    }
                }
            }
            return n;
        }

        /**
         * Emits a reliable push (numbered {@code seq} on {@code stream}) to the rooms: like
         * {@link #emit(ByteBuffer)}, but each session can drop what a resume already replayed.
         */
        public int emitReliable(ByteBuffer encoded, String stream, long seq) {
            int n = 0;
            for (String room : to) {
                for (ClientSession s : rooms.members(room)) {
                    if (accepts(s)) {
                        s.outbound().offerReliable(encoded, stream, seq);
                        n++;
                    }
                }
            }
            return n;
        }

        /**
         * Emits a volatile frame to one room: each recipient keeps only the newest frame of
         * {@code key} waiting (match snapshots). No allocation per recipient.
         */
        public int emitLatest(Object key, ByteBuffer encoded) {
            int n = 0;
            for (String room : to) {
                for (ClientSession s : rooms.members(room)) {
                    if (accepts(s)) {
                        s.outbound().offerLatest(key, encoded);
                        n++;
                    }
                }
            }
            return n;
        }

        private boolean accepts(ClientSession s) {
            if (s == excluded) {
                return false;
            }
            for (String room : except) {
                if (s.rooms().contains(room)) {
                    return false;
                }
            }
            return true;
        }
    }
}
