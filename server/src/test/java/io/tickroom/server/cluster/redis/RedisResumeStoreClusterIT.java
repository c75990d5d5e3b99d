package io.tickroom.server.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** {@link RedisResumeStoreIT} on a real Redis Cluster (3 masters, 3 replicas): every script on one slot. */
class RedisResumeStoreClusterIT extends RedisResumeStoreIT {
    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.startCluster();
    }
}
