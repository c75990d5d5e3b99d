package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.ReplayLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The single-node replay log: the last {@code depth} pushes of each live stream (policy past it:
 * the oldest is dropped). A stream's entries go when the stream is forgotten (its lobby removed,
 * its user gone past the resume grace), so the map is bounded by the live streams.
 */
final class MemoryReplayLog implements ReplayLog {
    private final int depth;
    private final Map<String, Ring> rings = new ConcurrentHashMap<>();

    private static final class Ring {
        final ArrayDeque<Long> seqs = new ArrayDeque<>();
        final ArrayDeque<byte[]> bodies = new ArrayDeque<>();
        long current;
    }

    public MemoryReplayLog(int depth) {
        this.depth = depth;
    }

    /** Called by the bus under the stream's lock, in seq order. */
    void append(String stream, long seq, byte[] body) {
        Ring r = rings.computeIfAbsent(stream, k -> new Ring());
        synchronized (r) {
            if (r.seqs.size() >= depth) {
                r.seqs.pollFirst();
                r.bodies.pollFirst();
            }
            r.seqs.addLast(seq);
            r.bodies.addLast(body);
            r.current = seq;
        }
    }

    @Override
    public Replay after(String stream, long afterSeq, int max) {
        Ring r = rings.get(stream);
        if (r == null) {
            return new Replay(0, List.of(), List.of());
        }
        synchronized (r) {
            List<Long> seqs = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            var s = r.seqs.iterator();
            var b = r.bodies.iterator();
            while (s.hasNext() && seqs.size() < max) {
                long seq = s.next();
                byte[] body = b.next();
                if (seq > afterSeq) {
                    seqs.add(seq);
                    bodies.add(body);
                }
            }
            return new Replay(r.current, seqs, bodies);
        }
    }

    @Override
    public void forget(String stream) {
        rings.remove(stream);
    }

    @Override
    public int streamCount() {
        return rings.size();
    }
}
