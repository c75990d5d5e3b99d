package io.tickroom.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    @Test
    void aRedisClusterSeedListNamesEverySeed() {
        ClusterConfig c = ClusterConfig.redis("redis-cluster://10.0.0.1:7000, 10.0.0.2:7001", "tr:");
        assertTrue(c.clustered());
        assertTrue(c.redisCluster());
        assertEquals(List.of("10.0.0.1:7000", "10.0.0.2:7001"), c.redisSeeds());
    }

    @Test
    void oneRedisIsNotARedisCluster() {
        ClusterConfig c = ClusterConfig.redis("redis://127.0.0.1:6379", "tr:");
        assertFalse(c.redisCluster());
        assertEquals(List.of("127.0.0.1:6379"), c.redisSeeds());
    }

    @Test
    void rejectsASeedWithoutAPortNamingTheFlag() {
        ConfigException e = assertThrows(
                ConfigException.class, () -> ClusterConfig.redis("redis-cluster://10.0.0.1:7000,10.0.0.2", "tr:"));
        assertTrue(e.getMessage().contains("--redis"), e.getMessage());
        assertThrows(ConfigException.class, () -> ClusterConfig.redis("redis-cluster://", "tr:"));
    }

    @Test
    void rejectsAPrefixWithBracesThatWouldBreakTheHashTags() {
        assertThrows(ConfigException.class, () -> ClusterConfig.redis("redis://127.0.0.1:6379", "{tr}:"));
    }
}
