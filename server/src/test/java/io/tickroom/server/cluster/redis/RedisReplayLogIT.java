package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ReplayLogContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The replay log contract on a real redis-server (the bus's publish script fills the log). */
@Timeout(60)
class RedisReplayLogIT extends ReplayLogContract {
    static RedisFixture redis;

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @Override
    protected Cluster newCluster(String nodeId) {
        return redis.cluster(RedisFixture.newPrefix(), nodeId);
    }
}
