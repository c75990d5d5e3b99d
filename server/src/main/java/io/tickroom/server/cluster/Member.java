package io.tickroom.server.cluster;

/** A lobby member: one user, whatever number of sessions that user has. */
public record Member(String userId, String name, boolean ready) {
    public Member withReady(boolean r) {
        return new Member(userId, name, r);
    }
}
