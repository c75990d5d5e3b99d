package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MatchQueue;
import io.tickroom.server.cluster.MatchQueueContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The match queue contract on a real redis-server; plus what the lease keeps from a second matchmaker. */
@Timeout(60)
class RedisMatchQueueIT extends MatchQueueContract {
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
    void oneNodeAtATimeHoldsAModesLeaseAndAStaleFenceTakesNobody() throws Exception {
        String prefix = RedisFixture.newPrefix();
        try (Cluster a = redis.cluster(prefix, "node-a");
                Cluster b = redis.cluster(prefix, "node-b")) {
            MatchQueue onA = a.matchQueue();
            MatchQueue onB = b.matchQueue();
            onA.add("arena", entry("x", 1500, 1), 10);
            onB.add("arena", entry("y", 1500, 2), 10);
            long fenceA = onA.lease("arena", "node-a", 2_000);
            assertTrue(fenceA >= 0);
            assertEquals(-1, onB.lease("arena", "node-b", 2_000), "held by node-a");
            assertFalse(onB.take("arena", "node-b", fenceA, List.of("x", "y")), "node-b does not hold the lease");
            redis.jedis.del(new Keys(prefix).mode("arena") + ":lease"); // node-a's lease ran out
            long fenceB = onB.lease("arena", "node-b", 2_000);
            assertTrue(fenceB > fenceA, "a new holder, a newer fence");
            assertFalse(onA.take("arena", "node-a", fenceA, List.of("x", "y")), "the old holder's fence is stale");
            assertTrue(onA.isQueued("x") && onA.isQueued("y"));
            assertTrue(onB.take("arena", "node-b", fenceB, List.of("x", "y")));
        }
    }
}
