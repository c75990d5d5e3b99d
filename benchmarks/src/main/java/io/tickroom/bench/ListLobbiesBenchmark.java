package io.tickroom.bench;

import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.cluster.memory.MemoryCluster;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One {@code list_lobbies} page from the single-node directory holding {@code lobbies} public
 * lobbies of one mode (a quarter of them partly filled), newest first and fullest first, at the
 * first page and at a deep one. Issue 12: copying and sorting the mode's lobbies per listing cost
 * 5.4 ms at 5,000; the sorted indexes cost the page (plus the offset walked).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ListLobbiesBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ListLobbiesBenchmark {
    @Param({"1000", "5000"})
    int lobbies;

    LobbyDirectory directory;
    int deepOffset;

    @Setup
    public void setUp() throws Exception {
        long[] clock = {1_000};
        directory =
                MemoryCluster.create("bench", 100_000, 16, 10, () -> clock[0]++).directory();
        for (int i = 0; i < lobbies; i++) {
            var l = directory.create(
                    new NewLobby("lobby " + i, "arena", 8, false), new Member("host-" + i, "Host " + i, false));
            for (int j = 0; j < i % 4; j++) {
                directory.join(l.id(), "", new Member("guest-" + i + "-" + j, "Guest", false));
            }
        }
        deepOffset = lobbies - 100;
    }

    @Benchmark
    public LobbyPage newestFirstPage() {
        return directory.list("arena", LobbyDirectory.Order.NEWEST, 0, 20);
    }

    @Benchmark
    public LobbyPage fullestFirstPage() {
        return directory.list("arena", LobbyDirectory.Order.FILL, 0, 20);
    }

    @Benchmark
    public LobbyPage newestDeepPage() {
        return directory.list("arena", LobbyDirectory.Order.NEWEST, deepOffset, 100);
    }
}
