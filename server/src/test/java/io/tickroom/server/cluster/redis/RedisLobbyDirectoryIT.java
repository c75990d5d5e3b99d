package io.tickroom.server.cluster.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyDirectoryContract;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.UnifiedJedis;

/** The lobby directory contract against a real redis-server; plus what only Redis can do wrong. */
@Timeout(60)
class RedisLobbyDirectoryIT extends LobbyDirectoryContract {
    static RedisFixture redis;
    static UnifiedJedis jedis;
    static final AtomicInteger directories = new AtomicInteger();
    final AtomicLong nowMs = new AtomicLong(1_000);

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisFixture.start();
        jedis = redis.jedis;
    }

    @AfterAll
    static void stopRedis() throws Exception {
        redis.close();
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
        return redis.keys(prefixes.get(d) + "{mode:*}:attr:*").size();
    }

    @Test
    void aRestoredLobbyKeepsItsAttributesAndIsFoundByThemAgain() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l =
                d.create(new NewLobby("n", "arena", 4, false, java.util.Map.of("map", "dust", "region", "eu")), m("a"));
        d.join(l.id(), "", m("b"));
        for (String key : redis.keys(prefixes.get(d) + "*")) {
            jedis.del(key); // Redis lost its data
        }
        assertEquals(
                List.of(),
                d.list("arena", LobbyDirectory.Order.NEWEST, java.util.Map.of("map", "dust"), 0, 10)
                        .lobbies());
        Lobby back = d.restore(l, List.of(m("a"), m("b")));
        assertEquals(2, back.members().size());
        assertEquals(java.util.Map.of("map", "dust", "region", "eu"), back.attributes());
        assertEquals(
                List.of(l.id()),
                d.list("arena", LobbyDirectory.Order.NEWEST, java.util.Map.of("region", "eu"), 0, 10).lobbies().stream()
                        .map(Lobby::id)
                        .toList());
    }

    @Test
    void twoNodesShareOneDirectory() throws Exception {
        String prefix = "shared" + directories.incrementAndGet() + ":";
        try (UnifiedJedis other = redis.newClient()) {
            LobbyDirectory node1 =
                    new RedisLobbyDirectory(jedis, prefix, 100, nowMs::incrementAndGet, new RedisStats());
            LobbyDirectory node2 =
                    new RedisLobbyDirectory(other, prefix, 100, nowMs::incrementAndGet, new RedisStats());
            Lobby l = node1.create(new NewLobby("shared", "arena", 3, false), m("a"));
            assertEquals(
                    List.of(l.id()),
                    node2.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().stream()
                            .map(Lobby::id)
                            .toList());
            node2.join(l.id(), "", m("b"));
            node1.join(l.id(), "", m("c"));
            assertEquals(
                    LobbyException.Reason.FULL,
                    assertThrows(LobbyException.class, () -> node2.join(l.id(), "", m("d")))
                            .reason());
            assertEquals(3, node1.get(l.id()).orElseThrow().members().size());
            // attributes set through one node filter the listing of the other
            node1.updateAttributes(l.id(), "a", java.util.Map.of("region", "eu"), java.util.Set.of());
            assertEquals(
                    List.of(l.id()),
                    node2
                            .list("arena", LobbyDirectory.Order.FILL, java.util.Map.of("region", "eu"), 0, 10)
                            .lobbies()
                            .stream()
                            .map(Lobby::id)
                            .toList());
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
        assertEquals(
                List.of(a.id(), c.id()), fill.lobbies().stream().map(Lobby::id).toList());
        assertEquals(2, fill.nextOffset());
        LobbyPage rest = d.list("arena", LobbyDirectory.Order.FILL, 2, 2);
        assertEquals(List.of(b.id()), rest.lobbies().stream().map(Lobby::id).toList());
        assertEquals(-1, rest.nextOffset());
        assertEquals(
                List.of(c.id(), b.id(), a.id()),
                d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().stream()
                        .map(Lobby::id)
                        .toList());
    }

    @Test
    void anUnreachableRedisIsUnavailableNotAHang() throws Exception {
        try (RedisClient dead = RedisClient.create("127.0.0.1", 1)) {
            LobbyDirectory d = new RedisLobbyDirectory(dead, "x:", 10, nowMs::incrementAndGet, new RedisStats());
            assertEquals(
                    LobbyException.Reason.UNAVAILABLE,
                    assertThrows(LobbyException.class, () -> d.create(new NewLobby("n", "arena", 4, false), m("a")))
                            .reason());
            assertThrows(ClusterUnavailableException.class, () -> d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10));
        }
    }

    /** A lobby as a node remembered it before Redis lost its data. */
    static Lobby remembered(String host, long version, String... members) {
        return new Lobby(
                "lobby" + directories.incrementAndGet(),
                "remembered",
                "arena",
                4,
                false,
                "CODE" + directories.get(),
                host,
                java.util.Arrays.stream(members).map(LobbyDirectoryContract::m).toList(),
                1_000,
                version);
    }

    static List<String> ids(Lobby l) {
        return l.members().stream().map(Member::userId).toList();
    }

    @Test
    void theFirstNodeToWriteALobbyBackWritesBackEveryRememberedMember() throws Exception {
        LobbyDirectory d = directory(10); // Redis restarted empty
        Lobby known = remembered("a", 7, "a", "b", "c");
        Lobby back = d.restore(known, List.of(m("b")));
        assertEquals(List.of("a", "b", "c"), ids(back), "the members on other nodes too, in join order");
        assertEquals("a", back.hostUserId());
        assertEquals(8, back.version(), "past every version a client saw");
        assertEquals(
                List.of(back.id()),
                d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().stream()
                        .map(Lobby::id)
                        .toList(),
                "listed again");
        Lobby second = d.restore(known, List.of(m("a")));
        assertEquals(List.of("a", "b", "c"), ids(second), "the second node finds its member back");
        assertEquals("a", second.hostUserId());
        assertEquals(back.id(), d.lobbyOf("c").orElseThrow());
    }

    @Test
    void aLaterNodeAddsItsMissingMembersAtTheirPlaceAndUndoesNothingThatChangedSince() throws Exception {
        LobbyDirectory d = directory(10);
        // node 1 never saw b join (its snapshot is older); b is on node 2
        Lobby stale = remembered("a", 3, "a", "c");
        Lobby first = d.restore(stale, List.of(m("a")));
        assertEquals(List.of("a", "c"), ids(first));
        d.leave(first.id(), "a"); // the host leaves after the lobby came back: c hosts
        Lobby current = new Lobby(
                stale.id(),
                stale.name(),
                stale.mode(),
                4,
                false,
                stale.joinCode(),
                "a",
                List.of(m("a"), m("b"), m("c")),
                1_000,
                4);
        Lobby later = d.restore(current, List.of(m("b")));
        assertEquals(List.of("b", "c"), ids(later), "b before c, as they joined; a stays gone");
        assertEquals("c", later.hostUserId(), "the hand-over stands");
        assertEquals(java.util.Optional.empty(), d.lobbyOf("a"));
    }

    @Test
    void aLobbyRemovedSinceItWasWrittenBackIsNotRecreatedByALateNode() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby known = remembered("a", 2, "a", "b");
        Lobby back = d.restore(known, List.of(m("a")));
        d.leave(back.id(), "a");
        d.leave(back.id(), "b"); // the last member left: removed
        assertEquals(LobbyException.Reason.NOT_FOUND, reason(() -> d.restore(known, List.of(m("b")))));
        assertEquals(java.util.Optional.empty(), d.get(back.id()));
        assertEquals(java.util.Optional.empty(), d.lobbyOf("a"));
    }

    @Test
    void aRememberedMemberNowInAnotherLobbyIsNotWrittenBack() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby elsewhere = d.create(new NewLobby("other", "arena", 4, false), m("b"));
        Lobby back = d.restore(remembered("b", 5, "b", "a"), List.of(m("a")));
        assertEquals(List.of("a"), ids(back));
        assertEquals("a", back.hostUserId(), "the host must be a member: the first restored member hosts");
        assertEquals(elsewhere.id(), d.lobbyOf("b").orElseThrow());
    }
}
