package io.tickroom.server.cluster;

/**
 * Where users hold lobby state: single node, the local session registry answers; clustered, the
 * node registry in Redis, so a user who closes the last session on one node keeps the lobby
 * while a session on another node holds it.
 */
public interface Presence {
    /** The user has a session on this node that holds lobby state. */
    void present(String userId);

    /** The user's last session on this node is gone. */
    void absent(String userId);

    /** Whether the user has such a session on any live node. */
    boolean onlineAnywhere(String userId);

    /** The live nodes holding such a session of the user. */
    java.util.Set<String> nodesOf(String userId);
}
