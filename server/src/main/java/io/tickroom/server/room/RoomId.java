package io.tickroom.server.room;

import java.util.Objects;
import java.util.Optional;

/**
 * Which room: its kind and the id of what it belongs to (a lobby, a user, a match). Its one
 * string form, {@code kind:id} ({@code lobby:4f2kq9}, {@code user:alice}), is what the wire
 * carries ({@code ServerFrame.stream}, {@code Resume.last_seqs}, {@code SessionInfo.rooms}) and
 * what names a stream on the bus; {@link #name()} builds it and {@link #parse} reads it, and no
 * other code does either.
 */
public record RoomId(Kind kind, String id) {

    /** The kinds of room. */
    public enum Kind {
        /** A lobby's members (every session of each member): lobby states and chat. */
        LOBBY("lobby", true),
        /** Every session of one user: direct messages, lobby_left, match_found. */
        USER("user", true),
        /** The sessions seated in one match: its snapshots (volatile). */
        MATCH("match", false);

        private final String prefix;
        private final boolean stream;

        Kind(String prefix, boolean stream) {
            this.prefix = prefix;
            this.stream = stream;
        }

        /** Whether the room is a stream: its pushes are numbered, logged and replayed on a resume. */
        public boolean isStream() {
            return stream;
        }
    }

    public RoomId {
        Objects.requireNonNull(kind, "kind");
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("a room id needs an id");
        }
    }

    public static RoomId lobby(String lobbyId) {
        return new RoomId(Kind.LOBBY, lobbyId);
    }

    /** The room of every session of the user (Socket.IO's {@code user:{id}}). */
    public static RoomId user(String userId) {
        return new RoomId(Kind.USER, userId);
    }

    public static RoomId match(String matchId) {
        return new RoomId(Kind.MATCH, matchId);
    }

    /** The string form, {@code kind:id}. */
    public String name() {
        return kind.prefix + ":" + id;
    }

    /**
     * Reads the string form; empty when it names no kind of room or no id. The id is everything
     * after the first colon (user ids may contain colons).
     */
    public static Optional<RoomId> parse(String name) {
        int colon = name.indexOf(':');
        if (colon < 0 || colon == name.length() - 1) {
            return Optional.empty();
        }
        String prefix = name.substring(0, colon);
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix)) {
                return Optional.of(new RoomId(k, name.substring(colon + 1)));
            }
        }
        return Optional.empty();
    }

    public boolean isStream() {
        return kind.stream;
    }

    /** Cheap on the delivery path: the kind's identity hash and the id's cached one. */
    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + id.hashCode();
    }

    @Override
    public String toString() {
        return name();
    }
}
