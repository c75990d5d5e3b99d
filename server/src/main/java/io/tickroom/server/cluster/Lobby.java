package io.tickroom.server.cluster;

import java.util.List;
import java.util.Map;

/**
 * An immutable snapshot of a lobby at one version. Members are in join order; the host is
 * always a member. Attributes are the host's string key/values (a browser filters on them; the
 * match gets them as its settings).
 */
public record Lobby(
        String id,
        String name,
        String mode,
        int maxPlayers,
        boolean isPrivate,
        String joinCode,
        String hostUserId,
        List<Member> members,
        long createdAtMs,
        long version,
        Map<String, String> attributes) {

    public Lobby {
        members = List.copyOf(members);
        attributes = Map.copyOf(attributes);
    }

    /** A lobby without attributes. */
    public Lobby(
            String id,
            String name,
            String mode,
            int maxPlayers,
            boolean isPrivate,
            String joinCode,
            String hostUserId,
            List<Member> members,
            long createdAtMs,
            long version) {
        this(id, name, mode, maxPlayers, isPrivate, joinCode, hostUserId, members, createdAtMs, version, Map.of());
    }

    public boolean isFull() {
        return members.size() >= maxPlayers;
    }

    public boolean hasMember(String userId) {
        for (Member m : members) {
            if (m.userId().equals(userId)) {
                return true;
            }
        }
        return false;
    }

    public boolean allReady() {
        for (Member m : members) {
            if (!m.ready()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code members} with {@code joined} appended, as an immutable list the record keeps as it is
     * ({@link List#copyOf} returns such a list unchanged): two arrays per join, where an
     * {@code ArrayList} copy grown by one and then copied by the record made four.
     */
    public static List<Member> plus(List<Member> members, Member joined) {
        Member[] all = members.toArray(new Member[members.size() + 1]);
        all[members.size()] = joined;
        return List.of(all);
    }

    /** This lobby with another host and member list, at {@code newVersion}; the rest unchanged. */
    public Lobby withMembers(String host, List<Member> newMembers, long newVersion) {
        return new Lobby(
                id, name, mode, maxPlayers, isPrivate, joinCode, host, newMembers, createdAtMs, newVersion, attributes);
    }
}
