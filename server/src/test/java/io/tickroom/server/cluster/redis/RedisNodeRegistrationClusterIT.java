package io.tickroom.server.cluster.redis;

import org.junit.jupiter.api.BeforeAll;

/** {@link RedisNodeRegistrationIT} on a real Redis Cluster (3 masters, 3 replicas): every script on one slot. */
class RedisNodeRegistrationClusterIT extends RedisNodeRegistrationIT {
    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.startCluster();
        jedis = redis.jedis;
    }
}
