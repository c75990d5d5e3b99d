package io.tickroom.bots;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the swarm measures. Latencies in microseconds (HdrHistogram, 3 significant digits, up to
 * one minute). Thread-safe: bots record from runtime threads.
 */
public final class SwarmMetrics {
    static final long MAX_US = 60_000_000L;

    final Histogram connect = new ConcurrentHistogram(MAX_US, 3);
    final Histogram snapshotJitter = new ConcurrentHistogram(MAX_US, 3);
    final Histogram deliveryLatency = new ConcurrentHistogram(MAX_US, 3);
    final Histogram snapshotLatency = new ConcurrentHistogram(MAX_US, 3);
    final LongAdder snapshots = new LongAdder();
    final Map<String, Histogram> requests = new ConcurrentHashMap<>();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, LongAdder> expected = new ConcurrentHashMap<>();
    final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    final Map<String, LongAdder> closeCodes = new ConcurrentHashMap<>();
    final LongAdder requestCount = new LongAdder();
    final LongAdder deliveries = new LongAdder();
    final LongAdder reconnects = new LongAdder();
    final LongAdder resumes = new LongAdder();
    final LongAdder resumesFailed = new LongAdder();
    final LongAdder gaveUp = new LongAdder();
    final LongAdder matchesPlayed = new LongAdder();
    final LongAdder connects = new LongAdder();
    final AtomicInteger connected = new AtomicInteger();
    final AtomicInteger inLobby = new AtomicInteger();
    final AtomicInteger inMatch = new AtomicInteger();
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    volatile double botCpuCores;
    /** Deliveries and snapshots per second after the ramp-up (the steady state), 0 until measured. */
    volatile double steadyDeliveriesPerSecond;

    volatile double steadySnapshotsPerSecond;

    void request(String type, long micros) {
        requests.computeIfAbsent(type, k -> new ConcurrentHistogram(MAX_US, 3)).recordValue(Math.min(micros, MAX_US));
        requestCount.increment();
    }

    void error(String code) {
        errors.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void expected(String code) {
        expected.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    void failure(String kind) {
        failures.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void closed(int code) {
        closeCodes.computeIfAbsent(Integer.toString(code), k -> new LongAdder()).increment();
    }

    void connectTime(long micros) {
        connect.recordValue(Math.min(micros, MAX_US));
        connects.increment();
    }

    long errorCount() {
        long n = 0;
        for (LongAdder a : errors.values()) {
            n += a.sum();
        }
        for (LongAdder a : failures.values()) {
            n += a.sum();
        }
        return n;
    }

    /** Unexpected error answers and failed requests over all requests. */
    double errorRate() {
        long total = requestCount.sum();
        return total == 0 ? 0 : (double) errorCount() / total;
    }

    /** p99 over all request types so far, in ms (for the progress line). */
    double p99AllMs() {
        Histogram all = new Histogram(MAX_US, 3);
        for (Histogram h : requests.values()) {
            all.add(h);
        }
        return all.getTotalCount() == 0 ? 0 : all.getValueAtPercentile(99) / 1000.0;
    }

    static Map<String, Long> sums(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
