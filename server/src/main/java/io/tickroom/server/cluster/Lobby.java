package io.tickroom.server.cluster;

import java.util.List;

/**
 * An immutable snapshot of a lobby at one version. Members are in join order; the host is
 * always a member.
 */
public record Lobby(String id, String name, String mode, int maxPlayers, boolean isPrivate, String joinCode,
        String hostUserId, List<Member> members, long createdAtMs, long version) {

    public Lobby {
        members = List.copyOf(members);
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
}
