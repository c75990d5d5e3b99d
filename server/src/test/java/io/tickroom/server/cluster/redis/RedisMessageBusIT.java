package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.cluster.MessageBusContract;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The bus contract on a real redis-server; plus what only several nodes can show. */
@Timeout(60)
class RedisMessageBusIT extends MessageBusContract {
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

    private static String take(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(10, TimeUnit.SECONDS);
        assertNotNull(s, "delivered within 10 s");
        return s;
    }

    @Test
    void everyListeningNodeGetsAStreamsPushesInOneOrder() throws Exception {
        String prefix = RedisFixture.newPrefix();
        try (Cluster a = redis.cluster(prefix, "node-a");
                Cluster b = redis.cluster(prefix, "node-b")) {
            BlockingQueue<String> onA = new LinkedBlockingQueue<>();
            BlockingQueue<String> onB = new LinkedBlockingQueue<>();
            a.bus().onDelivery((s, seq, body) -> onA.add(seq + " " + new String(body, StandardCharsets.UTF_8)));
            b.bus().onDelivery((s, seq, body) -> onB.add(seq + " " + new String(body, StandardCharsets.UTF_8)));
            assertTrue(a.bus().awaitUp(10_000) && b.bus().awaitUp(10_000));
            a.bus().listen("lobby:x");
            b.bus().listen("lobby:x");
            assertEquals(2, a.bus().publish("lobby:x", -1, bytes("from a")), "two nodes listen");
            b.bus().publish("lobby:x", -1, bytes("from b"));
            assertEquals("1 from a", take(onA));
            assertEquals("2 from b", take(onA));
            assertEquals("1 from a", take(onB));
            assertEquals("2 from b", take(onB));
        }
    }

    @Test
    void aControlMessageReachesAnotherNode() throws Exception {
        String prefix = RedisFixture.newPrefix();
        try (Cluster a = redis.cluster(prefix, "node-a");
                Cluster b = redis.cluster(prefix, "node-b")) {
            BlockingQueue<String> onB = new LinkedBlockingQueue<>();
            b.bus().onNodeMessage(m -> onB.add(new String(m, StandardCharsets.UTF_8)));
            MessageBus bus = a.bus();
            assertTrue(bus.awaitUp(10_000) && b.bus().awaitUp(10_000));
            bus.sendToNode("node-b", bytes("hello b"));
            assertEquals("hello b", take(onB));
        }
    }
}
