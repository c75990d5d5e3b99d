package io.tickroom.server.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** {@link RedisSequencesIT} on a real Redis Cluster (3 masters, 3 replicas): every script on one slot. */
class RedisSequencesClusterIT extends RedisSequencesIT {
    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.startCluster();
    }
}
