package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Sequences;
import io.tickroom.server.cluster.SequencesContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RedisSequencesIT extends SequencesContract {
    static RedisFixture redis;
    static final AtomicInteger spaces = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected Sequences sequences() {
        return new RedisSequences(redis.jedis, "s" + spaces.incrementAndGet() + ":");
    }
}
