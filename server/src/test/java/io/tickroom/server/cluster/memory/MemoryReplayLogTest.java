package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ReplayLog;
import io.tickroom.server.cluster.ReplayLogContract;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryReplayLogTest extends ReplayLogContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Test
    void keepsTheLastDepthPushesOfAStreamAndShowsWhatWasDropped() {
        Cluster c = MemoryCluster.create("node-a", 100, 3, 1_000, System::currentTimeMillis);
        publish(c, "lobby:a", "1", "2", "3", "4", "5");
        ReplayLog.Replay r = c.replayLog().after("lobby:a", 0, 10);
        assertEquals(List.of(3L, 4L, 5L), r.seqs(), "the oldest are dropped past the depth");
        assertTrue(r.gapAfter(0), "a client that saw nothing misses 1 and 2");
        assertEquals(1, c.replayLog().streamCount());
    }
}
