package io.tickroom.server.lobby;

import com.google.protobuf.CodedOutputStream;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.LobbySummary;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.ProtocolException;

/** Maps directory values to wire messages and directory refusals to wire errors. */
final class LobbyCodec {
    private LobbyCodec() {}

    /** The full state; only ever sent to members, so it carries the join code. */
    static LobbyState state(Lobby l) {
        java.util.List<LobbyMember> members =
                new java.util.ArrayList<>(l.members().size());
        for (Member m : l.members()) {
            members.add(wire(m));
        }
        return withoutMembers(l).addAllMembers(members).build(); // one array of the right size, not grown by doubling
    }

    /**
     * The answer {@code ServerFrame{reply_to, lobby_state}} carrying the whole state, written
     * straight into one frame: the state's other fields, then each member's cached field bytes
     * (the answer to a join into a lobby of N is N short copies, not N messages walked by the
     * encoder). A parser takes fields in any order and a repeated field's elements in theirs, so
     * it parses equal to {@link #state} (LobbyCodecTest).
     *
     * <p>A lobby of {@link #REUSE_FROM_MEMBERS} or more keeps its last answer: the next answer
     * copies the member bytes of the longest run of leading members that are still the same, in
     * one copy, and looks up only the rest. Joins append, so the answer to a join looks up one
     * member, not N (filling a lounge of 2,000 looked up about two million, 11 % of the node's
     * samples in that fill, JFR 2026-12-04). With the Redis directory a lobby's members are new
     * objects at every change, so that prefix is N {@code equals} checks: still no lookups.
     */
    static java.nio.ByteBuffer stateAnswer(Lobby l, int replyTo) {
        byte[] head = withoutMembers(l).build().toByteArray();
        java.util.List<Member> members = l.members();
        int n = members.size();
        boolean keep = n >= REUSE_FROM_MEMBERS;
        Kept kept = keep ? KEPT.get(l.id()) : null;
        int reused = kept == null ? 0 : kept.samePrefix(members);
        int reusedBytes = reused == 0 ? 0 : kept.ends()[reused - 1];
        byte[][] fields = new byte[n - reused][];
        int stateSize = head.length + reusedBytes;
        for (int i = reused; i < n; i++) {
            byte[] f = wired(members.get(i)).field();
            fields[i - reused] = f;
            stateSize += f.length;
        }
        Frames.BlankAnswer blank = Frames.blankAnswer(replyTo, ServerFrame.LOBBY_STATE_FIELD_NUMBER, stateSize);
        byte[] frame = blank.bytes();
        System.arraycopy(head, 0, frame, blank.bodyAt(), head.length);
        int membersAt = blank.bodyAt() + head.length;
        int[] ends = keep ? new int[n] : null; // member i's field ends at membersAt + ends[i]
        if (reused > 0) {
            System.arraycopy(kept.frame(), kept.membersAt(), frame, membersAt, reusedBytes);
            System.arraycopy(kept.ends(), 0, ends, 0, reused);
        }
        int end = reusedBytes;
        for (int i = reused; i < n; i++) {
            byte[] f = fields[i - reused];
            System.arraycopy(f, 0, frame, membersAt + end, f.length);
            end += f.length;
            if (keep) {
                ends[i] = end;
            }
        }
        LOOKED_UP.add(n - reused);
        if (keep) {
            if (KEPT.size() >= MAX_KEPT_ANSWERS && !KEPT.containsKey(l.id())) {
                evictOne();
            }
            KEPT.put(l.id(), new Kept(members, frame, membersAt, ends));
        }
        return java.nio.ByteBuffer.wrap(frame).asReadOnlyBuffer();
    }

    /** Lobbies of at least this many members keep their last state answer (smaller ones gain nothing). */
    static final int REUSE_FROM_MEMBERS = 32;

    /**
     * Lobbies whose last state answer is kept; past it one kept answer is dropped for each new
     * one (any one: a dropped answer costs its lobby's next answer the lookups). 64 lounges of
     * 2,000 with short names keep about 6 MB; the worst case, 64 of the largest lobbies
     * (--max-lobby-players 4096) with 64-character names, about 50 MB. Two lanes adding at once
     * may pass the bound by one each until the next add.
     */
    static final int MAX_KEPT_ANSWERS = 64;

    private static final java.util.concurrent.ConcurrentHashMap<String, Kept> KEPT =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Members whose field bytes an answer looked up (not copied from a kept answer), over the JVM's life. */
    private static final java.util.concurrent.atomic.LongAdder LOOKED_UP = new java.util.concurrent.atomic.LongAdder();

    private static void evictOne() {
        java.util.Iterator<String> any = KEPT.keySet().iterator();
        if (any.hasNext()) {
            KEPT.remove(any.next());
        }
    }

    /** Members looked up by state answers so far (a test's measure of the reuse). */
    static long membersLookedUp() {
        return LOOKED_UP.sum();
    }

    /**
     * A lobby's last state answer: its members, the frame (never written again: answers share
     * it read-only) and where each member's field ends, counted from {@code membersAt}.
     */
    private record Kept(java.util.List<Member> members, byte[] frame, int membersAt, int[] ends) {
        /** How many leading members of {@code now} are these ones (equal members, equal bytes). */
        int samePrefix(java.util.List<Member> now) {
            int max = Math.min(members.size(), now.size());
            int k = 0;
            while (k < max && (members.get(k) == now.get(k) || members.get(k).equals(now.get(k)))) {
                k++;
            }
            return k;
        }
    }

    /** The lobby is gone (closed, emptied, started): its kept answer with it. */
    static void forget(String lobbyId) {
        KEPT.remove(lobbyId);
    }

    /** Lobbies whose last state answer is kept now (about {@link #MAX_KEPT_ANSWERS} at most). */
    static int keptAnswers() {
        return KEPT.size();
    }

    /** Whether the lobby's last state answer is kept (a leak check: not once the lobby is gone). */
    static boolean keepsAnswerOf(String lobbyId) {
        return KEPT.containsKey(lobbyId);
    }

    /** Every field of the state but the members. */
    private static LobbyState.Builder withoutMembers(Lobby l) {
        return LobbyState.newBuilder()
                .setLobbyId(l.id())
                .setName(l.name())
                .setMode(l.mode())
                .setMaxPlayers(l.maxPlayers())
                .setHostUserId(l.hostUserId())
                .setPrivate(l.isPrivate())
                .setJoinCode(l.joinCode())
                .setVersion(l.version())
                .setCreatedAtMs(l.createdAtMs())
                .putAllAttributes(l.attributes());
    }

    /** Distinct members whose wire form is kept; past it the cache is emptied and refills on demand. */
    static final int MAX_CACHED_MEMBERS = 1 << 16;

    /**
     * Each member's wire form, built once per distinct member (user, name, readiness) and shared
     * by every state and delta that lists it. The answer to a join into a lobby of N lists N
     * members, so filling a lounge of 2,000 lists about two million: from here each is a copy of
     * bytes already encoded (the fields are held as UTF-8, the size is memoized), not a builder,
     * a message and two UTF-8 encodings (a quarter of the node's allocation in that fill, JFR).
     * Keyed by value: equal members have equal wire forms. Bounded by {@link #MAX_CACHED_MEMBERS}
     * (about 150 bytes each, message and field bytes); policy past it: cleared, since a cache that forgets costs only the
     * rebuilding.
     */
    private static final java.util.concurrent.ConcurrentHashMap<Member, Wired> WIRE =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** A member's message, and the same as the bytes of a {@code LobbyState.members} field (tag, length, message). */
    private record Wired(LobbyMember message, byte[] field) {
        static Wired of(LobbyMember message) {
            int size = message.getSerializedSize();
            byte[] field = new byte
                    [CodedOutputStream.computeTagSize(LobbyState.MEMBERS_FIELD_NUMBER)
                            + CodedOutputStream.computeUInt32SizeNoTag(size)
                            + size];
            CodedOutputStream o = CodedOutputStream.newInstance(field);
            try {
                o.writeMessage(LobbyState.MEMBERS_FIELD_NUMBER, message);
                o.checkNoSpaceLeft();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("sized wrong: " + e, e);
            }
            return new Wired(message, field);
        }
    }

    static LobbyMember wire(Member m) {
        return wired(m).message();
    }

    private static Wired wired(Member m) {
        Wired w = WIRE.get(m);
        if (w == null) {
            w = Wired.of(LobbyMember.newBuilder()
                    .setUserIdBytes(com.google.protobuf.ByteString.copyFromUtf8(m.userId()))
                    .setNameBytes(com.google.protobuf.ByteString.copyFromUtf8(m.name()))
                    .setReady(m.ready())
                    .build());
            if (WIRE.size() >= MAX_CACHED_MEMBERS) {
                WIRE.clear();
            }
            WIRE.put(m, w);
        }
        return w;
    }

    /** Members whose wire form is cached now (at most {@link #MAX_CACHED_MEMBERS}). */
    static int cachedMembers() {
        return WIRE.size();
    }

    /** Back from the wire (a node learns of a lobby joined on another node from its state). */
    static Lobby lobby(LobbyState s) {
        java.util.List<Member> members = new java.util.ArrayList<>();
        for (LobbyMember m : s.getMembersList()) {
            members.add(new Member(m.getUserId(), m.getName(), m.getReady()));
        }
        return new Lobby(
                s.getLobbyId(),
                s.getName(),
                s.getMode(),
                s.getMaxPlayers(),
                s.getPrivate(),
                s.getJoinCode(),
                s.getHostUserId(),
                members,
                s.getCreatedAtMs(),
                s.getVersion(),
                s.getAttributesMap());
    }

    /**
     * {@code l} with {@code d} applied by the proto's rule: {@code l} itself when it is already at
     * or past the delta, empty when the delta does not follow on from {@code l}'s version.
     */
    static java.util.Optional<Lobby> apply(Lobby l, io.tickroom.protocol.v1.LobbyDelta d) {
        if (d.getVersion() <= l.version()) {
            return java.util.Optional.of(l);
        }
        if (d.getFromVersion() > l.version()) {
            return java.util.Optional.empty();
        }
        java.util.Set<String> drop = new java.util.HashSet<>(d.getRemovedList());
        for (LobbyMember j : d.getJoinedList()) {
            drop.add(j.getUserId());
        }
        java.util.Map<String, LobbyMember> changed = new java.util.HashMap<>();
        for (LobbyMember c : d.getChangedList()) {
            changed.put(c.getUserId(), c);
        }
        java.util.List<Member> members = new java.util.ArrayList<>(l.members().size() + d.getJoinedCount());
        for (Member m : l.members()) {
            if (drop.contains(m.userId())) {
                continue;
            }
            LobbyMember c = changed.get(m.userId());
            members.add(c == null ? m : new Member(c.getUserId(), c.getName(), c.getReady()));
        }
        for (LobbyMember j : d.getJoinedList()) {
            members.add(new Member(j.getUserId(), j.getName(), j.getReady()));
        }
        return java.util.Optional.of(l.withMembers(d.getHostUserId(), members, d.getVersion()));
    }

    static LobbySummary summary(Lobby l) {
        return LobbySummary.newBuilder()
                .setLobbyId(l.id())
                .setName(l.name())
                .setMode(l.mode())
                .setMaxPlayers(l.maxPlayers())
                .setPlayers(l.members().size())
                .setHostUserId(l.hostUserId())
                .setCreatedAtMs(l.createdAtMs())
                .putAllAttributes(l.attributes())
                .build();
    }

    static ProtocolException error(LobbyException e) {
        ErrorCode code = switch (e.reason()) {
            case NOT_FOUND, NOT_MEMBER -> ErrorCode.NOT_FOUND;
            case FULL -> ErrorCode.FULL;
            case ALREADY_IN -> ErrorCode.ALREADY_IN;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case LIMIT_REACHED, UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case NOT_READY -> ErrorCode.NOT_READY;
            case INVALID -> ErrorCode.INVALID_ARGUMENT;
        };
        return new ProtocolException(code, e.getMessage());
    }
}
