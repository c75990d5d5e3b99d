package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MatchQueue;
import io.tickroom.server.cluster.MatchQueueContract;
import org.junit.jupiter.api.Test;

class MemoryMatchQueueTest extends MatchQueueContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Test
    void theOnlyNodeHoldsEveryLease() {
        MatchQueue q = cluster().matchQueue();
        assertTrue(q.lease("arena", "node-a", 2_000) >= 0);
        assertTrue(q.lease("duel", "node-a", 2_000) >= 0);
    }
}
