package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.MatchQueue;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.cluster.Presence;
import io.tickroom.server.cluster.ReplayLog;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.cluster.Sequences;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.thread.NodeThreads;
import java.util.List;
import java.util.function.LongSupplier;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Everything a node keeps in Redis, built from one client: the shared lobby directory, the
 * stream sequences, the message bus and the rest. The one place Jedis is configured (timeouts
 * bound every call, so nothing waits on a dead Redis for longer than {@code timeoutMs}): a pooled
 * client on one Redis ({@code redis://}), or Jedis's cluster client on a Redis Cluster ({@code
 * redis-cluster://}), which routes each call by its key's slot. Both run the same code: every
 * key is built by {@link Keys} with a hash tag, so every script's keys are on one slot.
 */
public final class RedisCluster implements Cluster {
    private final UnifiedJedis redis;
    private final RedisLobbyDirectory directory;
    private final RedisSequences sequences;
    private final RedisMessageBus bus;
    private final RedisMatchDirectory matches;
    private final RedisNodeRegistry nodes;
    private final RedisReplayLog replay;
    private final RedisStats stats = new RedisStats();

    /**
     * Connections per Redis server: the 32 lane threads (TickroomNode.CLUSTERED_LANE_THREADS) and the node's few
     * background threads each hold one for one call at a time, so every caller gets one without
     * waiting and none is closed on its return (Jedis's default pool keeps 8, closes the rest on
     * return and makes the ninth caller wait for ever).
     */
    static final int POOL_CONNECTIONS = 40;

    private final RedisResumeStore resume;
    private final RedisMatchQueue queue;

    private RedisCluster(
            List<HostAndPort> servers,
            boolean sharded,
            String prefix,
            int timeoutMs,
            String nodeId,
            int maxLobbies,
            LongSupplier clockMs,
            int replayDepth,
            long replayTtlMs,
            long renewMs,
            long nodeTtlMs,
            NodeThreads threads) {
        DefaultJedisClientConfig clientConfig = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeoutMs)
                .socketTimeoutMillis(timeoutMs)
                .build();
        // past POOL_CONNECTIONS a caller waits at most one timeout for a connection, then fails
        // like a call that timed out (UNAVAILABLE to the player), never for ever
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(POOL_CONNECTIONS);
        pool.setMaxIdle(POOL_CONNECTIONS);
        pool.setBlockWhenExhausted(true);
        pool.setMaxWait(java.time.Duration.ofMillis(timeoutMs));
        if (sharded) {
            // two attempts (the second after a MOVED or a refreshed slot map), bounded in all by
            // three timeouts: a dead master is a fast ClusterUnavailableException (UNAVAILABLE
            // to the player), not a hang; the slot map is also re-read every second, so requests
            // follow a failover without waiting for a failure to notice it
            this.redis = RedisClusterClient.builder()
                    .nodes(new java.util.HashSet<>(servers))
                    .clientConfig(clientConfig)
                    .poolConfig(pool)
                    .maxAttempts(2)
                    .maxTotalRetriesDuration(java.time.Duration.ofMillis(3L * timeoutMs))
                    .topologyRefreshPeriod(java.time.Duration.ofSeconds(1))
                    .build();
        } else {
            this.redis = RedisClient.builder()
                    .hostAndPort(servers.get(0))
                    .clientConfig(clientConfig)
                    .poolConfig(pool)
                    .build();
        }
        this.directory = new RedisLobbyDirectory(redis, prefix, maxLobbies, clockMs, stats);
        this.sequences = new RedisSequences(redis, prefix);
        this.bus =
                new RedisMessageBus(redis, servers, sharded, prefix, nodeId, replayDepth, replayTtlMs, stats, threads);
        this.replay = new RedisReplayLog(redis, prefix);
        this.resume = new RedisResumeStore(redis, prefix);
        this.matches = new RedisMatchDirectory(redis, prefix, threads.single("matchdir"));
        this.queue = new RedisMatchQueue(redis, prefix);
        this.nodes = new RedisNodeRegistry(redis, prefix, nodeId, renewMs, nodeTtlMs, threads.single("nodes"));
    }

    /**
     * Connects node {@code nodeId} to the Redis of {@code config} (its URI, key prefix, call
     * timeout, registration renewal and TTL): at most {@code maxLobbies} lobbies cluster-wide,
     * about {@code replayDepth} pushes per stream kept for resume for {@code replayTtlMs} after
     * the last, time from {@code clockMs}, threads from {@code threads}. Nothing connects yet: the
     * subscriber connects on {@link #open}, the node registers on {@link #start}.
     */
    public static Cluster connect(
            ClusterConfig config,
            String nodeId,
            int maxLobbies,
            int replayDepth,
            long replayTtlMs,
            LongSupplier clockMs,
            NodeThreads threads) {
        List<HostAndPort> servers =
                config.redisSeeds().stream().map(HostAndPort::from).toList();
        return new RedisCluster(
                servers,
                config.redisCluster(),
                config.keyPrefix(),
                config.redisTimeoutMs(),
                nodeId,
                maxLobbies,
                clockMs,
                replayDepth,
                replayTtlMs,
                config.renewMs(),
                config.nodeTtlMs(),
                threads);
    }

    /** {@link #connect(ClusterConfig, String, int, int, long, LongSupplier, NodeThreads)} on logging threads (tools, tests). */
    public static Cluster connect(
            ClusterConfig config,
            String nodeId,
            int maxLobbies,
            int replayDepth,
            long replayTtlMs,
            LongSupplier clockMs) {
        return connect(config, nodeId, maxLobbies, replayDepth, replayTtlMs, clockMs, NodeThreads.logging(nodeId));
    }

    /** Starts the bus's subscriber. */
    @Override
    public void open() {
        bus.start();
    }

    @Override
    public LobbyDirectory directory() {
        return directory;
    }

    @Override
    public Sequences sequences() {
        return sequences;
    }

    @Override
    public MessageBus bus() {
        return bus;
    }

    /** Redis calls on request paths: count, time, failures. */
    @Override
    public Stats stats() {
        return stats;
    }

    @Override
    public ReplayLog replayLog() {
        return replay;
    }

    @Override
    public ResumeStore resumeStore() {
        return resume;
    }

    @Override
    public MatchDirectory matchDirectory() {
        return matches;
    }

    @Override
    public MatchQueue matchQueue() {
        return queue;
    }

    @Override
    public NodeRegistry nodes() {
        return nodes;
    }

    @Override
    public Presence presence() {
        return nodes;
    }

    @Override
    public void close() {
        nodes.close();
        matches.close();
        bus.close();
        redis.close();
    }
}
