package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.cluster.ResumeStoreContract;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryResumeStoreTest extends ResumeStoreContract {
    final AtomicLong nowMs = new AtomicLong(1_000_000);

    @Override
    protected Cluster newCluster(String nodeId) {
        return MemoryCluster.create(nodeId, 100, 16, 1_000, nowMs::get);
    }

    @Override
    protected void graceOver(Cluster c, String sessionId, long graceMs) {
        nowMs.addAndGet(graceMs);
    }

    @Test
    void countsTheRecordsItHolds() {
        ResumeStore store = cluster().resumeStore();
        store.detached(dropped("s1", 0), 60_000);
        store.detached(dropped("s2", 0), 60_000);
        assertEquals(2, store.count());
    }

    @Test
    void aLiveSessionNeedsNoRecordAndNoNodeDiesUnderIt() {
        ResumeStore store = cluster().resumeStore();
        store.opened(live("s1"));
        assertEquals(0, store.nodeDied("node-a", 60_000));
        assertEquals(Optional.empty(), store.take("s1"));
        assertEquals(0, store.count());
    }

    @Test
    void pastItsCapacityTheOldestRecordGoes() {
        ResumeStore store = new MemoryResumeStore(2, nowMs::get);
        store.detached(dropped("s1", 0), 60_000);
        store.detached(dropped("s2", 0), 60_000);
        store.detached(dropped("s3", 0), 60_000);
        assertEquals(Optional.empty(), store.take("s1"));
        assertTrue(store.take("s2").isPresent());
        assertTrue(store.take("s3").isPresent());
    }

    @Test
    void aClosedClusterLeavesNothingToResume() {
        Cluster c = MemoryCluster.create("node-a", 100, 16, 1_000, nowMs::get);
        c.resumeStore().detached(dropped("s1", 0), 60_000);
        c.close();
        assertEquals(0, c.resumeStore().count(), "nobody can resume on a stopped single node");
    }
}
