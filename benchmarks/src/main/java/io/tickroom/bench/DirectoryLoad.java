package io.tickroom.bench;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.cluster.redis.RedisCluster;
import io.tickroom.server.config.ClusterConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Atomic directory operations per second against one Redis: T threads each own a lobby of 4
 * seats and loop join + leave of a guest (two Lua scripts per iteration, each a full
 * check-and-write with its version bump and index update). Prints ops/s and latency.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tickroom.bench.DirectoryLoad redis://127.0.0.1:6379 [threads=8] [seconds=10]
 * </pre>
 */
public final class DirectoryLoad {
    public static void main(String[] args) throws Exception {
        String uri = args.length > 0 ? args[0] : "redis://127.0.0.1:6379";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String prefix = "bench" + System.nanoTime() + ":";
        try (Cluster redis = RedisCluster.connect(
                new ClusterConfig(uri, prefix, 1_000, 1_000, 5_000),
                "bench",
                1_000_000,
                256,
                60_000,
                System::currentTimeMillis)) {
            LobbyDirectory d = redis.directory();
            LongAdder ops = new LongAdder();
            Histogram latencyUs = new ConcurrentHistogram(10_000_000, 3);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread w = new Thread(() -> {
                    try {
                        Lobby l = d.create(
                                new NewLobby("bench " + id, "arena", 4, false), new Member("host" + id, "h", false));
                        Member guest = new Member("guest" + id, "g", false);
                        while (System.nanoTime() < end) {
                            long t0 = System.nanoTime();
                            d.join(l.id(), "", guest);
                            long t1 = System.nanoTime();
                            d.leave(l.id(), guest.userId());
                            long t2 = System.nanoTime();
                            latencyUs.recordValue((t1 - t0) / 1000);
                            latencyUs.recordValue((t2 - t1) / 1000);
                            ops.add(2);
                        }
                        d.leave(l.id(), "host" + id);
                    } catch (LobbyException e) {
                        throw new IllegalStateException(e);
                    }
                });
                workers.add(w);
                w.start();
            }
            for (Thread w : workers) {
                w.join();
            }
            System.out.printf(
                    "%d threads, %d s: %,.0f atomic directory ops/s (join and leave); latency p50 %d us, p99 %d us, max %d us%n",
                    threads,
                    seconds,
                    ops.sum() / (double) seconds,
                    latencyUs.getValueAtPercentile(50),
                    latencyUs.getValueAtPercentile(99),
                    latencyUs.getMaxValue());
        }
    }
}
