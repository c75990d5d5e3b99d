package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.cluster.ResumeStoreContract;
import io.tickroom.server.testing.Await;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The resume store contract on a real redis-server; plus a crashed node's live sessions. */
@Timeout(60)
class RedisResumeStoreIT extends ResumeStoreContract {
    static RedisFixture redis;
    final Map<Cluster, String> prefixes = new ConcurrentHashMap<>();

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
        String prefix = RedisFixture.newPrefix();
        Cluster c = redis.cluster(prefix, nodeId);
        prefixes.put(c, prefix);
        return c;
    }

    /** Redis expires the record itself: wait for the key to go. */
    @Override
    protected void graceOver(Cluster c, String sessionId, long graceMs) throws Exception {
        String key = new Keys(prefixes.get(c)).session(sessionId);
        Await.until(() -> !redis.jedis.exists(key), Duration.ofSeconds(10), () -> key + " did not expire");
    }

    @Test
    void aCrashedNodesLiveSessionsCanBeResumedForTheGraceFromAnyNode() throws Exception {
        Cluster c = cluster();
        ResumeStore store = c.resumeStore();
        store.opened(live("s1"));
        store.opened(live("s2"));
        store.ended("s2", NODE);
        assertEquals(
                -1,
                redis.jedis.pttl(new Keys(prefixes.get(c)).session("s1")),
                "a live session's record does not expire");
        assertEquals(1, store.nodeDied(NODE, 60_000), "one live session on the dead node");
        assertTrue(redis.jedis.pttl(new Keys(prefixes.get(c)).session("s1")) > 0, "it has the grace now");
        assertEquals(live("s1"), store.take("s1").orElseThrow());
        assertEquals(0, store.nodeDied(NODE, 60_000), "given the grace once");
    }
}
