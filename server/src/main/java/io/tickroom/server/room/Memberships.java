package io.tickroom.server.room;

import io.tickroom.protocol.internal.v1.MembershipChange;
import io.tickroom.protocol.internal.v1.MembershipChanged;
import io.tickroom.protocol.internal.v1.Room;
import io.tickroom.protocol.internal.v1.RoomKind;
import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.session.SessionRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms a user is in, as opposed to one session (a lobby: every session of a member is in
 * its room, on every node). A change is made where the directory changed ({@link #changed}):
 * applied to the user's sessions on this node at once, then announced to the other nodes as a
 * typed {@code MembershipChanged} control message, which each applies to the user's sessions it
 * holds ({@link #received}, on the bus thread). Nothing is read out of the pushes clients get.
 *
 * <p>Design note. Changes of one user come from several nodes (a join here, a kick made by the
 * host elsewhere, a dead node's clean-up), so they may arrive in another order than they were
 * made. Every change carries the room's version after it (a lobby's version), and one gate per
 * user and room applies a change only if it is newer than the last one applied there, a leave
 * winning a tie: a late, repeated or reordered message changes nothing. Versions are compared
 * only within one room (a user's next lobby may well have a lower version than the last one).
 * Joins go through {@link ClientSession#ifAlive}, so a change racing a close leaves nothing.
 *
 * <p>Bounds and threads. The gate keeps marks only for users with a session on this node
 * (dropped when the last one closes), at most {@value #MARKS_PER_USER} rooms per user (the
 * oldest is forgotten); a message for a user with no session here is ignored. Any thread may
 * apply: the gate is an in-memory step under a per-user lock, and the joins are made outside it
 * (a join may wait for the bus to confirm a new subscription, except on the bus thread itself).
 * {@link #changed} also waits on the bus, for the announce.
 */
public final class Memberships implements SessionListener {
    static final int MARKS_PER_USER = 16;

    private record Mark(long version, boolean joined) {}

    private final String nodeId;
    private final Rooms rooms;
    private final SessionRegistry registry;
    private final StripedLocks locks = new StripedLocks(256);
    private final Map<String, LinkedHashMap<RoomId, Mark>> marks = new ConcurrentHashMap<>();
    private volatile NodeCalls calls;

    public Memberships(String nodeId, Rooms rooms, SessionRegistry registry) {
        this.nodeId = nodeId;
        this.rooms = rooms;
        this.registry = registry;
    }

    /** Clustered: changes made here are announced through {@code nodeCalls}, and those of other nodes arrive from it. */
    public void announceVia(NodeCalls nodeCalls) {
        this.calls = nodeCalls;
        nodeCalls.onMembership(this::received);
    }

    /**
     * The user joined or left {@code room} here, at {@code version}: applied to the user's
     * sessions on this node (if newer than what was applied), then announced to every other node.
     * On the caller's thread (a lane, or a background thread); the announce waits on the bus.
     * Returns whether it applied here.
     */
    public boolean changed(String userId, RoomId room, long version, boolean joined, LeftReason reason) {
        boolean applied = apply(userId, room, version, joined);
        NodeCalls c = calls;
        if (c != null) {
            c.announce(List.of(message(userId, room, version, joined, reason)));
        }
        return applied;
    }

    /** Several users left or joined at once (a match start, a lobby closed): one announce for all. */
    public void changed(List<String> userIds, RoomId room, long version, boolean joined, LeftReason reason) {
        List<MembershipChanged> out = new java.util.ArrayList<>(userIds.size());
        for (String u : userIds) {
            apply(u, room, version, joined);
            out.add(message(u, room, version, joined, reason));
        }
        NodeCalls c = calls;
        if (c != null) {
            c.announce(out);
        }
    }

    /**
     * Applies a change to the user's sessions here without announcing it (a session that opens
     * takes the membership the directory shows). Any thread. Either way every session of the user
     * here ends as the newest change applied says. Returns whether this change was that newest
     * (false: no session of the user here, or a newer change was applied already).
     */
    public boolean apply(String userId, RoomId room, long version, boolean joined) {
        boolean newer;
        boolean state;
        synchronized (locks.of(userId)) {
            if (!registry.isOnline(userId)) {
                return false;
            }
            LinkedHashMap<RoomId, Mark> m = marks.computeIfAbsent(userId, k -> new LinkedHashMap<>());
            Mark last = m.get(room);
            // late when a newer change of this room was applied already (a leave wins a tie)
            newer = last == null || (joined ? last.version() < version : last.version() <= version);
            if (newer) {
                m.remove(room);
                m.put(room, new Mark(version, joined)); // last in iteration order: the newest
                while (m.size() > MARKS_PER_USER) {
                    m.remove(m.keySet().iterator().next());
                }
            }
            // what every session of the user gets: the newest change (a session opened since the
            // change was applied gets it too)
            state = newer ? joined : last.joined();
        }
        // Joined outside the lock: a join may wait for the bus to confirm a new subscription, and
        // the bus thread must never wait for a lock held across that. Two changes applied at once
        // converge: each applier checks afterwards that the newest mark is what it applied.
        for (; ; ) {
            for (ClientSession s : registry.sessionsOf(userId)) {
                if (state) {
                    rooms.join(s, room);
                } else {
                    rooms.leave(s, room);
                }
            }
            synchronized (locks.of(userId)) {
                LinkedHashMap<RoomId, Mark> m = marks.get(userId);
                Mark newest = m == null ? null : m.get(room);
                if (newest == null || newest.joined() == state) {
                    return newer;
                }
                state = newest.joined();
            }
        }
    }

    /** A change another node announced (bus thread). */
    void received(MembershipChanged m) {
        if (m.getFromNode().equals(nodeId)) {
            return; // applied when it was made
        }
        RoomId room = room(m.getRoom());
        if (room == null
                || m.getChange() == MembershipChange.MEMBERSHIP_CHANGE_UNSPECIFIED
                || m.getChange() == MembershipChange.UNRECOGNIZED) {
            return; // a kind of room or change this node does not know (a newer node)
        }
        apply(m.getUserId(), room, m.getVersion(), m.getChange() == MembershipChange.MEMBERSHIP_JOINED);
    }

    /** The user's last session here is gone: its marks go (a new session starts from the directory). */
    @Override
    public void closed(ClientSession session) {
        synchronized (locks.of(session.userId())) {
            if (!registry.isOnline(session.userId())) {
                marks.remove(session.userId());
            }
        }
    }

    /** Users with marks (a leak check: 0 once their sessions are gone). */
    public int markedUsers() {
        return marks.size();
    }

    private MembershipChanged message(String userId, RoomId room, long version, boolean joined, LeftReason reason) {
        MembershipChanged.Builder b = MembershipChanged.newBuilder()
                .setUserId(userId)
                .setFromNode(nodeId)
                .setRoom(Room.newBuilder().setKind(kind(room.kind())).setId(room.id()))
                .setVersion(version)
                .setChange(joined ? MembershipChange.MEMBERSHIP_JOINED : MembershipChange.MEMBERSHIP_LEFT);
        if (!joined && reason != null) {
            b.setReason(reason);
        }
        return b.build();
    }

    private static RoomKind kind(RoomId.Kind kind) {
        return switch (kind) {
            case LOBBY -> RoomKind.ROOM_KIND_LOBBY;
            case USER -> RoomKind.ROOM_KIND_USER;
            case MATCH -> RoomKind.ROOM_KIND_MATCH;
        };
    }

    private static RoomId room(Room r) {
        RoomId.Kind kind = switch (r.getKind()) {
            case ROOM_KIND_LOBBY -> RoomId.Kind.LOBBY;
            case ROOM_KIND_USER -> RoomId.Kind.USER;
            case ROOM_KIND_MATCH -> RoomId.Kind.MATCH;
            default -> null;
        };
        return kind == null || r.getId().isEmpty() ? null : new RoomId(kind, r.getId());
    }
}
