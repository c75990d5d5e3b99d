package io.tickroom.bench;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.cluster.memory.MemoryCluster;
import io.tickroom.server.cluster.redis.RedisCluster;
import io.tickroom.server.config.ClusterConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a filtered {@code list_lobbies} costs: N public lobbies of one mode with attributes
 * (region: 4 values, so 1 in 4 lobbies; map: 50 values; tournament: 10 lobbies), then the
 * mean time of a first page of 20 per filter, single thread, after a warm-up.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.tickroom.bench.ListingLoad memory [lobbies=20000]
 * java -cp benchmarks/target/benchmarks.jar io.tickroom.bench.ListingLoad redis://127.0.0.1:6379 [lobbies=20000]
 * </pre>
 */
public final class ListingLoad {
    public static void main(String[] args) throws Exception {
        String where = args.length > 0 ? args[0] : "memory";
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        long[] clock = {1};
        try (Cluster c = where.equals("memory")
                ? MemoryCluster.create("bench", n, 16, 100, () -> clock[0]++)
                : RedisCluster.connect(
                        new ClusterConfig(where, "listing" + System.nanoTime() + ":", 2_000, 1_000, 5_000),
                        "bench",
                        n,
                        16,
                        60_000,
                        () -> clock[0]++)) {
            LobbyDirectory d = c.directory();
            String[] regions = {"eu", "us", "asia", "sa"};
            for (int i = 0; i < n; i++) {
                Map<String, String> attrs = new HashMap<>(Map.of("region", regions[i % 4], "map", "m" + (i % 50)));
                if (i % Math.max(1, n / 10) == 0) {
                    attrs.put("tournament", "t1");
                }
                d.create(new NewLobby("l" + i, "arena", 8, false, attrs), new Member("u" + i, "u" + i, false));
            }
            for (Map<String, String> f : List.of(
                    Map.<String, String>of(),
                    Map.of("region", "eu"),
                    Map.of("region", "eu", "map", "m8"),
                    Map.of("tournament", "t1"),
                    Map.of("region", "eu", "tournament", "t1"))) {
                for (int w = 0; w < 200; w++) {
                    d.list("arena", LobbyDirectory.Order.NEWEST, f, 0, 20);
                }
                int reps = 1_000;
                int page = 0;
                long t0 = System.nanoTime();
                for (int r = 0; r < reps; r++) {
                    page = d.list("arena", LobbyDirectory.Order.NEWEST, f, 0, 20)
                            .lobbies()
                            .size();
                }
                System.out.printf(
                        "%s, %d lobbies, filter %-32s page of %2d: %8.1f us per listing%n",
                        where, n, f, page, (System.nanoTime() - t0) / 1e3 / reps);
            }
            if (!where.equals("memory")) {
                System.out.println("(the keys stay under the listing* prefix; delete them or use a scratch Redis)");
            }
        }
    }
}
