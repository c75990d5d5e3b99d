package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.cluster.NodeRegistryContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryNodeRegistryTest extends NodeRegistryContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Override
    protected void loseStoredState() {
        // memory is not lost under a running node
    }

    @Test
    void listsThisNodeAloneAtOnce() {
        NodeRegistry nodes = cluster().nodes();
        NodeRegistry.NodeInfo me = new NodeRegistry.NodeInfo("node-a", "ws://a", 0, 0);
        start(nodes, me);
        assertEquals(List.of(me), nodes.liveNodes());
    }
}
