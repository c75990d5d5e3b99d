package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MatchDirectoryContract;

class MemoryMatchDirectoryTest extends MatchDirectoryContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Override
    protected void loseStoredState() {
        // memory is not lost under a running node
    }
}
