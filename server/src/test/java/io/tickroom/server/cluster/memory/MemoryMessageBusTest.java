package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.cluster.MessageBusContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryMessageBusTest extends MessageBusContract {
    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, System::currentTimeMillis);
    }

    @Test
    void aPushIsDeliveredOnThePublishingThreadBeforePublishReturns() {
        MessageBus bus = cluster().bus();
        List<String> seen = new ArrayList<>();
        bus.onDelivery((stream, seq, body) -> seen.add(Thread.currentThread().getName() + " " + stream + "#" + seq));
        bus.listen("lobby:a");
        bus.publish("lobby:a", -1, bytes("x"));
        // a single node answers a request after its push is queued (the order its clients see)
        assertEquals(List.of(Thread.currentThread().getName() + " lobby:a#1"), seen);
    }
}
