package io.tickroom.server.tick;

/**
 * One tickable's counters, written only by its tick thread and readable from any thread.
 * Per-match timing is kept as counters and maxima (a few longs); the distributions live in the
 * node-wide histograms of {@link TickMetrics}, because an HdrHistogram per match would cost
 * tens of KiB per match.
 */
public final class TickStats {
    private volatile long ticksRun;
    private volatile long ticksSkipped;
    private volatile long totalDurationNs;
    private volatile long maxDurationNs;
    private volatile long maxLatenessNs;

    void recordTick(long durationNs, long latenessNs) {
        ticksRun++;
        totalDurationNs += durationNs;
        if (durationNs > maxDurationNs) {
            maxDurationNs = durationNs;
        }
        if (latenessNs > maxLatenessNs) {
            maxLatenessNs = latenessNs;
        }
    }

    void recordSkipped(long n) {
        ticksSkipped += n;
    }

    public long ticksRun() {
        return ticksRun;
    }

    public long ticksSkipped() {
        return ticksSkipped;
    }

    public long maxDurationNs() {
        return maxDurationNs;
    }

    public long meanDurationNs() {
        long n = ticksRun;
        return n == 0 ? 0 : totalDurationNs / n;
    }

    public long maxLatenessNs() {
        return maxLatenessNs;
    }
}
