package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyDirectoryContract;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.testing.RedisServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;

/** The lobby directory contract against a real redis-server; plus what only Redis can do wrong. */
@Timeout(60)
class RedisLobbyDirectoryIT extends LobbyDirectoryContract {
    static RedisServer server;
    static RedisClient jedis;
    static final AtomicInteger directories = new AtomicInteger();
    final AtomicLong nowMs = new AtomicLong(1_000);

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start();
        jedis = RedisClient.create("127.0.0.1", server.port());
    }

    @AfterAll
    static void stopRedis() throws Exception {
        jedis.close();
        server.close();
    }

    final java.util.Map<LobbyDirectory, String> prefixes = new java.util.IdentityHashMap<>();

    @Override
    protected LobbyDirectory directory(int maxLobbies) {
        // each test gets its own key space in the one server
        String prefix = "t" + directories.incrementAndGet() + ":";
        LobbyDirectory d = new RedisLobbyDirectory(jedis, prefix, maxLobbies, nowMs::incrementAndGet, new RedisStats());
        prefixes.put(d, prefix);
        return d;
    }

    @Override
    protected int attributeIndexEntries(LobbyDirectory d) {
        return jedis.keys(prefixes.get(d) + "attr:*").size();
    }

    @Test
    void aRestoredLobbyKeepsItsAttributesAndIsFoundByThemAgain() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false, java.util.Map.of("map", "dust", "region", "eu")), m("a"));
        d.join(l.id(), "", m("b"));
        for (String key : jedis.keys(prefixes.get(d) + "*")) {
            jedis.del(key); // Redis lost its data
        }
        assertEquals(List.of(), d.list("arena", LobbyDirectory.Order.NEWEST, java.util.Map.of("map", "dust"), 0, 10).lobbies());
        Lobby back = d.restore(l, List.of(m("a"), m("b")));
        assertEquals(2, back.members().size());
        assertEquals(java.util.Map.of("map", "dust", "region", "eu"), back.attributes());
        assertEquals(List.of(l.id()), d.list("arena", LobbyDirectory.Order.NEWEST, java.util.Map.of("region", "eu"), 0, 10)
                .lobbies().stream().map(Lobby::id).toList());
    }

    @Test
    void twoNodesShareOneDirectory() throws Exception {
        String prefix = "shared" + directories.incrementAndGet() + ":";
        try (RedisClient other = RedisClient.create("127.0.0.1", server.port())) {
            LobbyDirectory node1 = new RedisLobbyDirectory(jedis, prefix, 100, nowMs::incrementAndGet, new RedisStats());
            LobbyDirectory node2 = new RedisLobbyDirectory(other, prefix, 100, nowMs::incrementAndGet, new RedisStats());
            Lobby l = node1.create(new NewLobby("shared", "arena", 3, false), m("a"));
            assertEquals(List.of(l.id()), node2.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies()
                    .stream().map(Lobby::id).toList());
            node2.join(l.id(), "", m("b"));
            node1.join(l.id(), "", m("c"));
            assertEquals(LobbyException.Reason.FULL,
                    assertThrows(LobbyException.class, () -> node2.join(l.id(), "", m("d"))).reason());
            assertEquals(3, node1.get(l.id()).orElseThrow().members().size());
            // attributes set through one node filter the listing of the other
            node1.updateAttributes(l.id(), "a", java.util.Map.of("region", "eu"), java.util.Set.of());
            assertEquals(List.of(l.id()), node2.list("arena", LobbyDirectory.Order.FILL, java.util.Map.of("region", "eu"), 0, 10)
                    .lobbies().stream().map(Lobby::id).toList());
        }
    }

    @Test
    void listsFullestFirstThenNewestAcrossPages() throws Exception {
        LobbyDirectory d = directory(100);
        Lobby a = d.create(new NewLobby("a", "arena", 4, false), m("a1"));
        Lobby b = d.create(new NewLobby("b", "arena", 4, false), m("b1"));
        Lobby c = d.create(new NewLobby("c", "arena", 4, false), m("c1"));
        d.join(a.id(), "", m("a2"));
        LobbyPage fill = d.list("arena", LobbyDirectory.Order.FILL, 0, 2);
        assertEquals(List.of(a.id(), c.id()), fill.lobbies().stream().map(Lobby::id).toList());
        assertEquals(2, fill.nextOffset());
        LobbyPage rest = d.list("arena", LobbyDirectory.Order.FILL, 2, 2);
        assertEquals(List.of(b.id()), rest.lobbies().stream().map(Lobby::id).toList());
        assertEquals(-1, rest.nextOffset());
        assertEquals(List.of(c.id(), b.id(), a.id()),
                d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().stream().map(Lobby::id).toList());
    }

    @Test
    void anUnreachableRedisIsUnavailableNotAHang() throws Exception {
        try (RedisClient dead = RedisClient.create("127.0.0.1", 1)) {
            LobbyDirectory d = new RedisLobbyDirectory(dead, "x:", 10, nowMs::incrementAndGet, new RedisStats());
            assertEquals(LobbyException.Reason.UNAVAILABLE, assertThrows(LobbyException.class,
                    () -> d.create(new NewLobby("n", "arena", 4, false), m("a"))).reason());
            assertThrows(ClusterUnavailableException.class, () -> d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10));
        }
    }
}
