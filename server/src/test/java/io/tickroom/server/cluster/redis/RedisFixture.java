package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;
import redis.clients.jedis.RedisClient;

/**
 * One redis-server for a test class, and clusters on it each in a key space of its own (or
 * sharing one, to play several nodes). Nodes renew every {@value #RENEW_MS} ms and expire after
 * {@value #NODE_TTL_MS} ms, so dead-node tests are quick.
 */
final class RedisFixture implements AutoCloseable {
    static final long RENEW_MS = 100;
    static final long NODE_TTL_MS = 400;
    private static final AtomicInteger spaces = new AtomicInteger();

    final RedisServer server;
    /** A plain client on the server, for what a test checks or breaks behind the ports' back. */
    final RedisClient jedis;

    private RedisFixture(RedisServer server) {
        this.server = server;
        this.jedis = RedisClient.create("127.0.0.1", server.port());
    }

    static RedisFixture start() throws Exception {
        return new RedisFixture(RedisServer.start());
    }

    /** A key prefix no other cluster of this run uses. */
    static String newPrefix() {
        return "k" + spaces.incrementAndGet() + ":";
    }

    Cluster cluster(String prefix, String nodeId) {
        Cluster c = RedisCluster.connect(
                new ClusterConfig(server.uri(), prefix, 1_000, RENEW_MS, NODE_TTL_MS),
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
        jedis.flushAll();
    }

    @Override
    public void close() throws Exception {
        jedis.close();
        server.close();
    }
}
