package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.NodeRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The registry of a single node: this node, listed from its start to its close with what it
 * advertises now, and never a dead node (there is no other). Presence is a set of this node's
 * users: a user is online anywhere exactly when this node holds them.
 */
final class MemoryNodeRegistry implements NodeRegistry {
    private final String nodeId;
    private final Set<String> users = ConcurrentHashMap.newKeySet();
    /** Nobody before the start and after the close; this node, as it is now, in between. */
    private volatile Supplier<List<NodeInfo>> listed = List::of;

    MemoryNodeRegistry(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void start(Supplier<NodeInfo> self, DeadNodeHandler onDead) {
        this.listed = () -> List.of(self.get());
    }

    @Override
    public List<NodeInfo> liveNodes() {
        return listed.get();
    }

    /** Nothing to write again: memory is not lost under a running node. */
    @Override
    public void redeclare() {}

    @Override
    public void present(String userId) {
        users.add(userId);
    }

    @Override
    public void absent(String userId) {
        users.remove(userId);
    }

    @Override
    public boolean onlineAnywhere(String userId) {
        return users.contains(userId);
    }

    @Override
    public Set<String> nodesOf(String userId) {
        return users.contains(userId) ? Set.of(nodeId) : Set.of();
    }

    @Override
    public boolean spansNodes() {
        return false;
    }

    @Override
    public void close() {
        listed = List::of;
    }
}
