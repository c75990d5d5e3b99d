package io.tickroom.server.cluster.memory;

import io.tickroom.protocol.internal.v1.StoredSession;
import io.tickroom.server.cluster.ResumeStore;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The single-node resume store: dropped sessions' records until their grace ends. Bounded:
 * at most {@code maxRecords}; past it the oldest record is dropped (that session can no longer
 * be resumed: RESUME_FAILED "expired").
 */
final class MemoryResumeStore implements ResumeStore {
    private final int maxRecords;
    private final LongSupplier clockMs;
    /** In insertion order, which is expiry order (one grace for all). */
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();

    private record Held(StoredSession record, long expiresAtMs) {
    }

    public MemoryResumeStore(int maxRecords, LongSupplier clockMs) {
        this.maxRecords = maxRecords;
        this.clockMs = clockMs;
    }

    @Override
    public void opened(StoredSession live) {
        // one node: a live session is in the registry, and a crash loses everything anyway
    }

    @Override
    public synchronized void detached(StoredSession ended, long graceMs) {
        prune();
        held.remove(ended.getSessionId());
        if (held.size() >= maxRecords) {
            Iterator<String> oldest = held.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        held.put(ended.getSessionId(), new Held(ended, clockMs.getAsLong() + graceMs));
    }

    @Override
    public synchronized void ended(String sessionId, String nodeId) {
        held.remove(sessionId);
    }

    @Override
    public synchronized Optional<StoredSession> take(String sessionId) {
        prune();
        Held h = held.remove(sessionId);
        // prune stops at the first live record: one with a shorter grace behind it may be over
        return Optional.ofNullable(h).filter(x -> x.expiresAtMs() > clockMs.getAsLong()).map(Held::record);
    }

    /** The node is stopping: no one can resume here any more. */
    synchronized void clear() {
        held.clear();
    }

    @Override
    public int nodeDied(String nodeId, long graceMs) {
        return 0;
    }

    @Override
    public synchronized int count() {
        prune();
        return held.size();
    }

    private void prune() {
        long now = clockMs.getAsLong();
        Iterator<Map.Entry<String, Held>> it = held.entrySet().iterator();
        while (it.hasNext() && it.next().getValue().expiresAtMs() <= now) {
            it.remove();
        }
    }
}
