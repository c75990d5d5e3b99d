package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.Presence;
import io.tickroom.server.cluster.PresenceContract;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The presence contract on a real redis-server; plus a user held by two nodes. */
@Timeout(60)
class RedisPresenceIT extends PresenceContract {
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

    @Test
    void aUserHeldOnTwoNodesStaysOnlineUntilBothLetGo() {
        String prefix = RedisFixture.newPrefix();
        try (Cluster a = redis.cluster(prefix, "node-a");
                Cluster b = redis.cluster(prefix, "node-b")) {
            Presence onA = a.presence();
            Presence onB = b.presence();
            assertTrue(onA.spansNodes());
            onA.present("ann");
            onB.present("ann");
            assertEquals(Set.of("node-a", "node-b"), onB.nodesOf("ann"));
            onA.absent("ann");
            assertTrue(onA.onlineAnywhere("ann"), "node-b still holds ann");
            assertEquals(Set.of("node-b"), onA.nodesOf("ann"));
            onB.absent("ann");
            assertFalse(onA.onlineAnywhere("ann"));
        }
    }
}
