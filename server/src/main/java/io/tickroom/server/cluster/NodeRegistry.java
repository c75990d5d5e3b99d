package io.tickroom.server.cluster;

import java.util.List;

/**
 * The live nodes of a cluster. Each node registers itself (id, advertised URL, load) under a
 * key with a TTL that it keeps renewing; when a node's key expires, exactly one surviving node
 * is told to clean up after it ({@link DeadNodeHandler}), whichever notices first. Users with a
 * lobby membership are tracked per node ({@link #present}/{@link #absent}) so that the clean-up
 * knows whom the dead node held. Single node (in memory) the registry lists this node alone and
 * never reports a dead one.
 */
public interface NodeRegistry extends Presence, AutoCloseable {
    /**
     * A node as the registry knows it; {@code draining}: it takes no new sessions or matches and
     * is sending its sessions away (so a drain never hands sessions to it).
     */
    record NodeInfo(String nodeId, String url, int sessions, int matches, boolean draining) {
        /** A node that is not draining. */
        public NodeInfo(String nodeId, String url, int sessions, int matches) {
            this(nodeId, url, sessions, matches, false);
        }
    }

    /** Told once per dead node, on one surviving node, with the users the dead node held. */
    @FunctionalInterface
    interface DeadNodeHandler {
        /** {@code stoppedCleanly}: the node left on purpose (stop, drain) and told its clients to resume elsewhere. */
        void nodeDied(String nodeId, List<String> usersHeld, boolean stoppedCleanly);
    }

    /**
     * Starts registering this node ({@code self} is read on every renewal) and watching for dead
     * nodes. Called once, by the node's start, once its URL is known; until then the node is not
     * listed, though its presence calls already count.
     */
    void start(java.util.function.Supplier<NodeInfo> self, DeadNodeHandler onDead);

    /** The registered nodes whose registration has not expired (this one once started). */
    List<NodeInfo> liveNodes();

    /** Writes this node's registration and its users again on the next renewal (Redis may have lost them). */
    void redeclare();

    @Override
    void close();
}
