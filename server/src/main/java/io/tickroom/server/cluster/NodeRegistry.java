package io.tickroom.server.cluster;

import java.util.List;

/**
 * The live nodes of a cluster. Each node registers itself (id, advertised URL, load) under a
 * key with a TTL that it keeps renewing; when a node's key expires, exactly one surviving node
 * is told to clean up after it ({@link DeadNodeHandler}), whichever notices first. Users with a
 * lobby membership are tracked per node ({@link #present}/{@link #absent}) so that the clean-up
 * knows whom the dead node held.
 */
public interface NodeRegistry extends Presence, AutoCloseable {
    /** A node as the registry knows it. */
    record NodeInfo(String nodeId, String url, int sessions, int matches) {
    }

    /** Told once per dead node, on one surviving node, with the users the dead node held. */
    @FunctionalInterface
    interface DeadNodeHandler {
        /** {@code stoppedCleanly}: the node left on purpose (stop, drain) and told its clients to resume elsewhere. */
        void nodeDied(String nodeId, List<String> usersHeld, boolean stoppedCleanly);
    }

    List<NodeInfo> liveNodes();

    /** Writes this node's registration and its users again on the next renewal (Redis may have lost them). */
    void redeclare();

    @Override
    void close();
}
