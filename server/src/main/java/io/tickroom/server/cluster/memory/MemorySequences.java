package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Sequences;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Single-node sequences: one counter per live stream. */
final class MemorySequences implements Sequences {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    @Override
    public long next(String stream) {
        return counters.computeIfAbsent(stream, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public long current(String stream) {
        AtomicLong c = counters.get(stream);
        return c == null ? 0 : c.get();
    }

    /** Makes the stream's next number at least {@code seq + 1}. */
    void raise(String stream, long seq) {
        counters.computeIfAbsent(stream, k -> new AtomicLong()).accumulateAndGet(seq, Math::max);
    }

    @Override
    public void forget(String stream) {
        counters.remove(stream);
    }

    @Override
    public int streamCount() {
        return counters.size();
    }
}
