package io.tickroom.server.cluster;

import java.util.List;

/**
 * The last reliable pushes of each stream, kept for resume: a resuming client says the last seq
 * it saw and gets what came after, from any node. Bodies are stored without their envelope
 * (stream and seq), like the bus carries them. Single node in memory; clustered a capped Redis
 * stream per stream, appended by the same script that numbers and publishes the push.
 */
public interface ReplayLog {

    /** What the log holds after a seq: the stream's current seq and the entries, in order. */
    record Replay(long current, List<Long> seqs, List<byte[]> bodies) {
        /** Whether pushes after {@code afterSeq} are missing from the log (trimmed, or too many). */
        public boolean gapAfter(long afterSeq) {
            if (current <= afterSeq) {
                return false;
            }
            return seqs.isEmpty() || seqs.get(0) != afterSeq + 1 || seqs.get(seqs.size() - 1) != current;
        }
    }

    /** At most {@code max} entries after {@code afterSeq}. */
    Replay after(String stream, long afterSeq, int max);

    /** The stream's owner is gone: drop its entries. */
    void forget(String stream);

    /** Streams this node holds a log of (a leak check; Redis: 0, the logs are shared and expire). */
    int streamCount();
}
