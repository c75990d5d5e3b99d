package io.tickroom.server.cluster;

import java.net.URI;
import java.util.function.LongSupplier;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * Everything a node keeps in Redis, built from one connection pool: the shared lobby directory,
 * the stream sequences and the message bus. The one place Jedis is configured (timeouts bound
 * every call, so nothing waits on a dead Redis for longer than {@code timeoutMs}).
 */
public final class RedisBackend implements AutoCloseable {
    private final UnifiedJedis redis;
    private final RedisLobbyDirectory directory;
    private final RedisSequences sequences;
    private final RedisMessageBus bus;
    private final RedisMatchDirectory matches;
    private RedisNodeRegistry nodes;

    private final String prefix;

    private final RedisReplayLog replay;
    private final RedisStats stats = new RedisStats();
    private final RedisResumeStore resume;

    public RedisBackend(URI uri, String prefix, int timeoutMs, String nodeId, int maxLobbies, LongSupplier clockMs,
            int replayDepth, long replayTtlMs) {
        this.prefix = prefix;
        this.redis = RedisClient.builder().hostAndPort(uri.getHost(), uri.getPort())
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMs)
                        .socketTimeoutMillis(timeoutMs).build())
                .build();
        this.directory = new RedisLobbyDirectory(redis, prefix, maxLobbies, clockMs, stats);
        this.sequences = new RedisSequences(redis, prefix);
        this.bus = new RedisMessageBus(redis, uri, prefix, nodeId, replayDepth, replayTtlMs, stats);
        this.replay = new RedisReplayLog(redis, prefix);
        this.resume = new RedisResumeStore(redis, prefix);
        this.matches = new RedisMatchDirectory(redis, prefix, nodeId);
    }

    public LobbyDirectory directory() {
        return directory;
    }

    public Sequences sequences() {
        return sequences;
    }

    /** Waits (bounded) until this node's subscription is up again. */
    public boolean awaitBusUp(long timeoutMs) {
        return bus.awaitUp(timeoutMs);
    }

    public MessageBus bus() {
        return bus;
    }

    /** Whether this node's message bus subscription is up. */
    public boolean busUp() {
        return bus.isUp();
    }

    /** Redis calls on request paths: count, time, failures. */
    public RedisStats stats() {
        return stats;
    }

    public ReplayLog replayLog() {
        return replay;
    }

    public ResumeStore resumeStore() {
        return resume;
    }

    public RedisMatchDirectory matchDirectory() {
        return matches;
    }

    public MatchQueue matchQueue() {
        return new RedisMatchQueue(redis, prefix);
    }

    /**
     * Registers this node (renewed every {@code renewMs}, expiring after {@code ttlMs}) and starts
     * watching for dead nodes; {@code onDead} runs on one surviving node per dead node (and here,
     * before this returns, for a dead predecessor of this id that nobody cleaned up after).
     *
     * @throws NodeIdHeldException another live node holds {@code nodeId}; nothing was registered
     */
    public NodeRegistry register(String nodeId, java.util.function.Supplier<NodeRegistry.NodeInfo> self, long renewMs,
            long ttlMs, NodeRegistry.DeadNodeHandler onDead) {
        RedisNodeRegistry registered = new RedisNodeRegistry(redis, prefix, nodeId, self, renewMs, ttlMs, onDead);
        nodes = registered;
        registered.start();
        return registered;
    }

    /** Whether a live node holds the user (after a dead node's presence was removed). */
    public boolean presenceOf(String userId) {
        return nodes != null && nodes.onlineAnywhere(userId);
    }

    @Override
    public void close() {
        if (nodes != null) {
            nodes.close();
        }
        matches.close();
        bus.close();
        redis.close();
    }
}
