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

    public RedisBackend(URI uri, String prefix, int timeoutMs, String nodeId, int maxLobbies, LongSupplier clockMs) {
        this.redis = RedisClient.builder().hostAndPort(uri.getHost(), uri.getPort())
                .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(timeoutMs)
                        .socketTimeoutMillis(timeoutMs).build())
                .build();
        this.directory = new RedisLobbyDirectory(redis, prefix, maxLobbies, clockMs);
        this.sequences = new RedisSequences(redis, prefix);
        this.bus = new RedisMessageBus(redis, uri, prefix, nodeId);
    }

    public LobbyDirectory directory() {
        return directory;
    }

    public Sequences sequences() {
        return sequences;
    }

    public MessageBus bus() {
        return bus;
    }

    @Override
    public void close() {
        bus.close();
        redis.close();
    }
}
