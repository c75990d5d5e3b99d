package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Sequences;
import io.tickroom.server.cluster.SequencesContract;
import io.tickroom.server.testing.RedisServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

@Timeout(60)
class RedisSequencesIT extends SequencesContract {
    static RedisServer server;
    static RedisClient redis;
    static final AtomicInteger spaces = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        redis = RedisClient.create("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
        server.close();
    }

    @Override
    protected Sequences sequences() {
        return new RedisSequences(redis, "s" + spaces.incrementAndGet() + ":");
    }
}
