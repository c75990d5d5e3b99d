package io.tickroom.server.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** {@link RedisReplayLogIT} on a real Redis Cluster (3 masters, 3 replicas): every script on one slot. */
class RedisReplayLogClusterIT extends RedisReplayLogIT {
    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.startCluster();
    }
}
