package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MatchDirectoryContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/** The match directory contract on a real redis-server. */
@Timeout(60)
class RedisMatchDirectoryIT extends MatchDirectoryContract {
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

    @Override
    protected void loseStoredState() {
        redis.flush();
    }
}
