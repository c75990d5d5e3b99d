package io.tickroom.server.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * Calls a node makes to Redis on its request paths (lobby scripts, bus publishes): how many,
 * their total time, and how many failed. Read by the metrics endpoint.
 */
public final class RedisStats {
    private final LongAdder calls = new LongAdder();
    private final LongAdder totalNanos = new LongAdder();
    private final LongAdder failures = new LongAdder();

    void record(long startedNs, boolean failed) {
        calls.increment();
        totalNanos.add(System.nanoTime() - startedNs);
        if (failed) {
            failures.increment();
        }
    }

    public long calls() {
        return calls.sum();
    }

    public double totalNanos() {
        return totalNanos.sum();
    }

    public long failures() {
        return failures.sum();
    }
}
