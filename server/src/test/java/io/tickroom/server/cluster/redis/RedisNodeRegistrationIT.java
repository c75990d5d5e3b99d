package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.NodeIdHeldException;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.UnifiedJedis;

/**
 * Node registration on a real redis-server: one id, one live instance. The registries here renew
 * once a minute: each test renews by hand, so nothing depends on timing but the TTL.
 */
@Timeout(60)
class RedisNodeRegistrationIT {
    static RedisFixture redis;
    static UnifiedJedis jedis;
    static final AtomicInteger prefixes = new AtomicInteger();
    final String prefix = "nr" + prefixes.incrementAndGet() + ":";
    final List<RedisNodeRegistry> registries = new ArrayList<>();
    final List<String> died = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.start();
        jedis = redis.jedis;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
    }

    @AfterEach
    void closeRegistries() {
        registries.forEach(RedisNodeRegistry::close);
    }

    /** A registry for {@code id} advertising {@code url}, expiring after {@code ttlMs}, renewed only by hand. */
    RedisNodeRegistry register(String id, String url, long ttlMs) {
        RedisNodeRegistry r = new RedisNodeRegistry(jedis, prefix, id, 60_000, ttlMs);
        r.start(
                () -> new NodeRegistry.NodeInfo(id, url, 0, 0),
                (node, users, stopped) -> died.add(node + users + (stopped ? " stopped" : " expired")));
        registries.add(r);
        return r;
    }

    List<String> urls(RedisNodeRegistry r) {
        return r.liveNodes().stream().map(n -> n.nodeId() + "@" + n.url()).toList();
    }

    void awaitExpired(String id) throws InterruptedException {
        Await.until(
                () -> !jedis.exists(new Keys(prefix).node(id)), Duration.ofSeconds(10), () -> id + " did not expire");
    }

    @Test
    void aSecondInstanceWithTheSameIdIsRefusedAndTheFirstKeepsItsRegistration() {
        RedisNodeRegistry first = register("twin", "ws://first", 60_000);
        NodeIdHeldException e = assertThrows(NodeIdHeldException.class, () -> register("twin", "ws://second", 60_000));
        assertEquals("node id \"twin\" is held by another live node", e.getMessage());
        first.renew();
        assertEquals(List.of("twin@ws://first"), urls(first));
    }

    @Test
    void aCrashedInstancesIdIsRefusedWithinItsTtlAndTakenOverAfterWithItsUsersCleanedUp() throws Exception {
        RedisNodeRegistry crashed = register("x", "ws://old", 300);
        crashed.present("u1"); // then it dies: no renewal, no leave
        assertThrows(NodeIdHeldException.class, () -> register("x", "ws://new", 60_000), "refused within the TTL");
        awaitExpired("x");
        RedisNodeRegistry restarted = register("x", "ws://new", 60_000); // registers and cleans up in start
        assertEquals(List.of("x[u1] expired"), died, "the new instance cleaned up after its predecessor");
        assertEquals(Set.of(), jedis.smembers(new Keys(prefix).presence("u1")));
        assertEquals(List.of("x@ws://new"), urls(restarted));
    }

    @Test
    void anInstanceNeverRenewsNorDeletesARegistrationAnotherInstanceTookOver() throws Exception {
        RedisNodeRegistry paused = register("x", "ws://paused", 300);
        awaitExpired("x"); // paused past its TTL (a frozen process, a long GC)
        RedisNodeRegistry successor = register("x", "ws://successor", 60_000);
        paused.renew();
        assertEquals(List.of("x@ws://successor"), urls(successor), "the paused instance did not renew over it");
        paused.close();
        assertEquals(List.of("x@ws://successor"), urls(successor), "nor delete it when it left");
    }

    @Test
    void aDeadNodeIsCleanedUpOnceByOneSurvivor() throws Exception {
        RedisNodeRegistry dead = register("dead", "ws://dead", 300);
        dead.present("u1");
        RedisNodeRegistry a = register("a", "ws://a", 60_000);
        RedisNodeRegistry b = register("b", "ws://b", 60_000);
        awaitExpired("dead");
        a.renew();
        b.renew();
        assertEquals(List.of("dead[u1] expired"), died);
        assertEquals(List.of("a@ws://a", "b@ws://b"), urls(a).stream().sorted().toList());
    }

    @Test
    void aRegistrationRedisLostIsWrittenAgainWithItsUsersOnTheNextRenewal() {
        RedisNodeRegistry r = register("x", "ws://x", 60_000);
        r.present("u1");
        redis.flush(); // Redis restarted empty
        assertTrue(!r.onlineAnywhere("u1"));
        r.renew();
        assertEquals(List.of("x@ws://x"), urls(r));
        assertTrue(r.onlineAnywhere("u1"), "its users declared again without waiting for the bus");
        assertEquals(Set.of("x"), r.nodesOf("u1"));
    }
}
