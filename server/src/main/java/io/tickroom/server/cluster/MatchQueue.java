package io.tickroom.server.cluster;

import java.util.List;

/**
 * Quick-match queues, one per mode, shared by every node when clustered. A user is in at most one
 * queue. One node at a time forms matches for a mode: the holder of the mode's matchmaker lease,
 * whose fencing token must still be current when it takes a group, so two matchmakers (a slow
 * old holder and a new one) can never both take the same players.
 */
public interface MatchQueue {
    /** A waiting player. */
    record Entry(String userId, String name, int rating, long sinceMs, String nodeId) {}

    enum Added {
        ADDED,
        ALREADY_QUEUED,
        FULL
    }

    Added add(String mode, Entry entry, int maxQueued);

    /** Removes the user from whatever queue it is in; false if it was in none. */
    boolean remove(String userId);

    boolean isQueued(String userId);

    /** Acquires or renews the mode's matchmaker lease: the fencing token if this node holds it, else -1. */
    long lease(String mode, String nodeId, long ttlMs);

    /** The mode's waiting players in arrival order (a snapshot; {@link #take} re-checks). */
    List<Entry> waiting(String mode);

    /** Atomically removes the group if {@code fence} is still the current lease and every one is still queued. */
    boolean take(String mode, String nodeId, long fence, List<String> userIds);

    int size(String mode);
}
