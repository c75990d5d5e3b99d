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
 * at most {@code maxRecords} records and {@code maxBytes} bytes of them (their encoded size);
 * past either the oldest record is dropped (that session can no longer be resumed:
 * RESUME_FAILED "expired").
 */
final class MemoryResumeStore implements ResumeStore {
    private final int maxRecords;
    private final long maxBytes;
    private long bytes;
    private final LongSupplier clockMs;
    /** In insertion order, which is expiry order (one grace for all). */
    private final LinkedHashMap<String, Held> held = new LinkedHashMap<>();

    private record Held(StoredSession record, long expiresAtMs, int bytes) {}

    public MemoryResumeStore(int maxRecords, LongSupplier clockMs) {
        this(maxRecords, Long.MAX_VALUE, clockMs);
    }

    public MemoryResumeStore(int maxRecords, long maxBytes, LongSupplier clockMs) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.clockMs = clockMs;
    }

    @Override
    public void opened(StoredSession live) {
        // one node: a live session is in the registry, and a crash loses everything anyway
    }

    @Override
    public synchronized void detached(StoredSession ended, long graceMs) {
        prune();
        remove(ended.getSessionId());
        int size = ended.getSerializedSize();
        Iterator<Held> oldest = held.values().iterator();
        while ((held.size() >= maxRecords || bytes + size > maxBytes) && oldest.hasNext()) {
            bytes -= oldest.next().bytes();
            oldest.remove();
        }
        held.put(ended.getSessionId(), new Held(ended, clockMs.getAsLong() + graceMs, size));
        bytes += size;
    }

    private Held remove(String sessionId) {
        Held h = held.remove(sessionId);
        if (h != null) {
            bytes -= h.bytes();
        }
        return h;
    }

    @Override
    public synchronized void ended(String sessionId, String nodeId) {
        remove(sessionId);
    }

    @Override
    public synchronized Optional<StoredSession> take(String sessionId) {
        prune();
        Held h = remove(sessionId);
        // prune stops at the first live record: one with a shorter grace behind it may be over
        return Optional.ofNullable(h)
                .filter(x -> x.expiresAtMs() > clockMs.getAsLong())
                .map(Held::record);
    }

    /** The node is stopping: no one can resume here any more. */
    synchronized void clear() {
        held.clear();
        bytes = 0;
    }

    /** Bytes of the records held (their encoded size). */
    synchronized long bytes() {
        prune();
        return bytes;
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
        while (it.hasNext()) {
            Held h = it.next().getValue();
            if (h.expiresAtMs() > now) {
                return;
            }
            bytes -= h.bytes();
            it.remove();
        }
    }
}
