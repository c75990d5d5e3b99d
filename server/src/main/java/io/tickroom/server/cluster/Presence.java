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

    /**
     * Whether other nodes can hold sessions of the users of this one (Redis: true; the single-node
     * memory presence: false). A lobby joined here is announced on the user's stream only for
     * the user's sessions elsewhere to follow, and held seats are left to a survivor only when
     * there can be one.
     */
    boolean spansNodes();
}
