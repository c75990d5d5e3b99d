package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.PresenceContract;
import org.junit.jupiter.api.Test;

class MemoryPresenceTest extends PresenceContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Test
    void noOtherNodeCanHoldItsUsers() {
        assertFalse(cluster().presence().spansNodes());
    }
}
