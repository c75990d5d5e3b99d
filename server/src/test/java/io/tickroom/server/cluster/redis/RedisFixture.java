package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.RedisClusterFixture;
import io.tickroom.server.testing.RedisServer;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/**
 * One Redis for a test class — a redis-server of its own ({@link #start}) or the run's shared
 * Redis Cluster ({@link #startCluster}) — and clusters on it each in a key space of its own (or
 * sharing one, to play several nodes). Nodes renew every {@value #RENEW_MS} ms and expire after
 * {@value #NODE_TTL_MS} ms, so dead-node tests are quick.
 */
final class RedisFixture implements AutoCloseable {
    static final long RENEW_MS = 100;
    static final long NODE_TTL_MS = 400;
    private static final AtomicInteger spaces = new AtomicInteger();

    /** The redis-server; null on a Redis Cluster. */
    final RedisServer server;

    private final RedisClusterFixture redisCluster;
    /** A plain client on the server, for what a test checks or breaks behind the ports' back. */
    final UnifiedJedis jedis;

    private RedisFixture(RedisServer server, RedisClusterFixture redisCluster) {
        this.server = server;
        this.redisCluster = redisCluster;
        this.jedis = newClient();
    }

    static RedisFixture start() throws Exception {
        return new RedisFixture(RedisServer.start(), null);
    }

    /** On the run's shared Redis Cluster (3 masters, 3 replicas). */
    static RedisFixture startCluster() throws Exception {
        return new RedisFixture(null, RedisClusterFixture.shared());
    }

    /** A key prefix no other cluster of this run uses. */
    static String newPrefix() {
        return "k" + spaces.incrementAndGet() + ":";
    }

    String uri() {
        return server != null ? server.uri() : redisCluster.uri();
    }

    /** Another client of its own (the caller closes it). */
    UnifiedJedis newClient() {
        return server != null ? RedisClient.create("127.0.0.1", server.port()) : redisCluster.client();
    }

    /** Every key matching {@code pattern} (on a cluster, from every master). */
    Set<String> keys(String pattern) {
        return server != null ? jedis.keys(pattern) : redisCluster.keys(pattern);
    }

    Cluster cluster(String prefix, String nodeId) {
        Cluster c = RedisCluster.connect(
                new ClusterConfig(uri(), prefix, 1_000, RENEW_MS, NODE_TTL_MS),
                nodeId,
                100,
                16,
                60_000,
                System::currentTimeMillis);
        c.open();
        return c;
    }

    /** Redis loses everything (as after a restart with no persistence). */
    void flush() {
        if (server != null) {
            jedis.flushAll();
        } else {
            redisCluster.flushAll();
        }
    }

    @Override
    public void close() throws Exception {
        jedis.close();
        if (server != null) {
            server.close();
        }
    }
}
