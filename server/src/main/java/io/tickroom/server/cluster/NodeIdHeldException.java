package io.tickroom.server.cluster;

/**
 * A node could not register: another live node (another process instance) holds the same node
 * id. Thrown at start-up, before the node serves; the node that holds the id is left alone.
 */
public final class NodeIdHeldException extends RuntimeException {
    private final String nodeId;

    public NodeIdHeldException(String nodeId) {
        super("node id \"" + nodeId + "\" is held by another live node");
        this.nodeId = nodeId;
    }

    public String nodeId() {
        return nodeId;
    }
}
