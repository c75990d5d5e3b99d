package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls a node makes to Redis on its request paths (lobby scripts, bus publishes): how many,
 * their total time, and how many failed. Read by the metrics endpoint.
 */
final class RedisStats implements Cluster.Stats {
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

    @Override
    public long calls() {
        return calls.sum();
    }

    @Override
    public double totalNanos() {
        return totalNanos.sum();
    }

    @Override
    public long failures() {
        return failures.sum();
    }
}
