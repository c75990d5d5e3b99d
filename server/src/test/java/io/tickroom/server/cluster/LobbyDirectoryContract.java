package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.LobbyException.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every {@link LobbyDirectory} must do; run against memory and Redis. */
public abstract class LobbyDirectoryContract {

    /** A fresh, empty directory holding at most {@code maxLobbies}. */
    protected abstract LobbyDirectory directory(int maxLobbies);

    /** Entries of the directory's listing indexes by attribute (a leak check: 0 once its public lobbies are gone). */
    protected abstract int attributeIndexEntries(LobbyDirectory d);

    protected static Member m(String user) {
        return new Member(user, "N" + user, false);
    }

    protected static LobbyException.Reason reason(ThrowingRunnable r) {
        return assertThrows(LobbyException.class, r::run).reason();
    }

    protected interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void createsWithTheHostAsOnlyMemberAtVersionOne() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        assertEquals("a", l.hostUserId());
        assertEquals(List.of(m("a")), l.members());
        assertEquals(1, l.version());
        assertEquals(l, d.get(l.id()).orElseThrow());
        assertEquals(l.id(), d.lobbyOf("a").orElseThrow());
    }

    @Test
    void everyMutationBumpsTheVersion() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        Lobby j = d.join(l.id(), "", m("b"));
        Lobby r = d.setReady(l.id(), "b", true);
        Lobby k = d.kick(l.id(), "a", "b");
        assertTrue(l.version() < j.version() && j.version() < r.version() && r.version() < k.version());
    }

    @Test
    void refusesFullDuplicateAndUnknown() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 2, false), m("a"));
        d.join(l.id(), "", m("b"));
        assertEquals(Reason.FULL, reason(() -> d.join(l.id(), "", m("c"))));
        assertEquals(Reason.ALREADY_IN, reason(() -> d.join(l.id(), "", m("b"))));
        assertEquals(Reason.ALREADY_IN, reason(() -> d.create(new NewLobby("x", "arena", 2, false), m("a"))));
        assertEquals(Reason.NOT_FOUND, reason(() -> d.join("nope", "", m("c"))));
        assertEquals(Reason.NOT_MEMBER, reason(() -> d.leave(l.id(), "c")));
    }

    @Test
    void privateLobbiesNeedTheirCodeAndAreNotListed() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, true), m("a"));
        assertEquals(Reason.FORBIDDEN, reason(() -> d.join(l.id(), "", m("b"))));
        assertEquals(Reason.FORBIDDEN, reason(() -> d.join(l.id(), "WRONG1", m("b"))));
        assertEquals(l.id(), d.findByJoinCode(l.joinCode()).orElseThrow());
        d.join(l.id(), l.joinCode(), m("b"));
        assertEquals(
                0, d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().size());
    }

    @Test
    void hostLeavingHandsOverAndLastLeavingRemoves() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        d.join(l.id(), "", m("b"));
        d.join(l.id(), "", m("c"));
        LobbyDirectory.Left left = d.leave(l.id(), "a");
        assertFalse(left.removed());
        assertEquals("b", left.lobby().hostUserId());
        d.leave(l.id(), "b");
        LobbyDirectory.Left last = d.leave(l.id(), "c");
        assertTrue(last.removed());
        assertTrue(d.get(l.id()).isEmpty());
        assertTrue(d.findByJoinCode(l.joinCode()).isEmpty());
        assertEquals(0, d.count());
        assertTrue(d.lobbyOf("c").isEmpty());
    }

    @Test
    void onlyTheHostKicksAndNotItself() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        d.join(l.id(), "", m("b"));
        assertEquals(Reason.FORBIDDEN, reason(() -> d.kick(l.id(), "b", "a")));
        assertEquals(Reason.FORBIDDEN, reason(() -> d.kick(l.id(), "a", "a")));
        assertEquals(Reason.NOT_MEMBER, reason(() -> d.kick(l.id(), "a", "zed")));
        assertEquals(List.of(m("a")), d.kick(l.id(), "a", "b").members());
        assertTrue(d.lobbyOf("b").isEmpty());
    }

    @Test
    void refusesCreatesPastTheLobbyLimit() throws Exception {
        LobbyDirectory d = directory(2);
        d.create(new NewLobby("1", "arena", 4, false), m("a"));
        d.create(new NewLobby("2", "arena", 4, false), m("b"));
        assertEquals(Reason.LIMIT_REACHED, reason(() -> d.create(new NewLobby("3", "arena", 4, false), m("c"))));
    }

    @Test
    void concurrentJoinsNeverExceedTheSeats() throws Exception {
        LobbyDirectory d = directory(10);
        for (int round = 0; round < 20; round++) {
            Lobby l = d.create(new NewLobby("race", "arena", 5, false), m("host" + round));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            AtomicInteger ok = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String user = "r" + round + "u" + i;
                fs.add(pool.submit(() -> {
                    try {
                        d.join(l.id(), "", m(user));
                        ok.incrementAndGet();
                    } catch (LobbyException e) {
                        assertEquals(Reason.FULL, e.reason());
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get(10, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(4, ok.get());
            assertEquals(5, d.get(l.id()).orElseThrow().members().size());
            for (Member member : d.get(l.id()).orElseThrow().members()) {
                d.leave(l.id(), member.userId());
            }
        }
        assertEquals(0, d.count());
    }

    static NewLobby withAttributes(String name, int seats, boolean isPrivate, Map<String, String> attributes) {
        return new NewLobby(name, "arena", seats, isPrivate, attributes);
    }

    static List<String> ids(LobbyPage page) {
        return page.lobbies().stream().map(Lobby::id).toList();
    }

    static List<String> listed(LobbyDirectory d, Map<String, String> filter) {
        return ids(d.list("arena", LobbyDirectory.Order.NEWEST, filter, 0, 100));
    }

    @Test
    void attributesSetAtCreateStayThroughEveryChange() throws Exception {
        LobbyDirectory d = directory(10);
        Map<String, String> attrs = Map.of("map", "dust", "region", "eu-west", "skill", "gold ★");
        Lobby l = d.create(withAttributes("n", 4, false, attrs), m("a"));
        assertEquals(attrs, l.attributes());
        d.join(l.id(), "", m("b"));
        d.setReady(l.id(), "b", true);
        assertEquals(attrs, d.get(l.id()).orElseThrow().attributes());
        assertEquals(
                attrs,
                d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10)
                        .lobbies()
                        .get(0)
                        .attributes());
        assertEquals(attrs, d.leave(l.id(), "a").lobby().attributes(), "the host hand-over keeps them");
        assertEquals(
                Map.of(),
                d.create(new NewLobby("plain", "arena", 4, false), m("c")).attributes());
    }

    @Test
    void listsOnlyLobbiesMatchingEveryFilterPairExactly() throws Exception {
        LobbyDirectory d = directory(20);
        Lobby dustEu = d.create(withAttributes("1", 4, false, Map.of("map", "dust", "region", "eu")), m("a"));
        Lobby dustUs = d.create(withAttributes("2", 4, false, Map.of("map", "dust", "region", "us")), m("b"));
        Lobby nukeEu = d.create(
                withAttributes("3", 4, false, Map.of("map", "nuke", "region", "eu", "mode", "ranked")), m("c"));
        d.create(withAttributes("private", 4, true, Map.of("map", "dust", "region", "eu")), m("d"));
        d.create(new NewLobby("other mode", "lounge", 4, false, Map.of("map", "dust", "region", "eu")), m("e"));
        d.create(new NewLobby("no attributes", "arena", 4, false), m("f"));

        assertEquals(List.of(dustUs.id(), dustEu.id()), listed(d, Map.of("map", "dust")), "newest first");
        assertEquals(List.of(dustEu.id()), listed(d, Map.of("map", "dust", "region", "eu")));
        assertEquals(List.of(nukeEu.id(), dustEu.id()), listed(d, Map.of("region", "eu")));
        assertEquals(List.of(nukeEu.id()), listed(d, Map.of("region", "eu", "mode", "ranked", "map", "nuke")));
        assertEquals(List.of(), listed(d, Map.of("map", "Dust")), "exact, case-sensitive");
        assertEquals(List.of(), listed(d, Map.of("map", "dus")), "no prefix match");
        assertEquals(List.of(), listed(d, Map.of("map", "dust", "region", "eu", "mode", "ranked", "size", "big")));
        assertEquals(List.of(), listed(d, Map.of("nokey", "x")));
        assertEquals(
                4,
                d.list("arena", LobbyDirectory.Order.NEWEST, Map.of(), 0, 100)
                        .lobbies()
                        .size(),
                "no filter: every public lobby of the mode");
    }

    @Test
    void aFilteredListingPagesAndOrdersLikeAnyOther() throws Exception {
        LobbyDirectory d = directory(20);
        Map<String, String> eu = Map.of("region", "eu");
        Lobby a = d.create(withAttributes("a", 4, false, eu), m("a1"));
        Lobby b = d.create(withAttributes("b", 4, false, eu), m("b1"));
        d.create(withAttributes("x", 4, false, Map.of("region", "us")), m("x1"));
        Lobby c = d.create(withAttributes("c", 4, false, eu), m("c1"));
        d.join(a.id(), "", m("a2"));
        LobbyPage first = d.list("arena", LobbyDirectory.Order.FILL, eu, 0, 2);
        assertEquals(List.of(a.id(), c.id()), ids(first), "fullest first, then newest");
        assertEquals(2, first.nextOffset());
        LobbyPage rest = d.list("arena", LobbyDirectory.Order.FILL, eu, first.nextOffset(), 2);
        assertEquals(List.of(b.id()), ids(rest));
        assertEquals(-1, rest.nextOffset());
        assertEquals(List.of(c.id(), b.id(), a.id()), ids(d.list("arena", LobbyDirectory.Order.NEWEST, eu, 0, 10)));
        assertEquals(List.of(), ids(d.list("arena", LobbyDirectory.Order.NEWEST, eu, 3, 10)), "past the end");
    }

    @Test
    void theHostUpdatesAttributesAndTheIndexFollows() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(withAttributes("n", 4, false, Map.of("map", "dust", "region", "eu")), m("a"));
        d.join(l.id(), "", m("b"));
        Lobby u = d.updateAttributes(l.id(), "a", Map.of("map", "nuke", "skill", "gold"), Set.of("region"));
        assertEquals(Map.of("map", "nuke", "skill", "gold"), u.attributes());
        assertTrue(u.version() > l.version());
        assertEquals(u, d.get(l.id()).orElseThrow());
        assertEquals(List.of(), listed(d, Map.of("map", "dust")), "the old value is out of the index");
        assertEquals(List.of(), listed(d, Map.of("region", "eu")), "so is the removed key");
        assertEquals(List.of(l.id()), listed(d, Map.of("map", "nuke", "skill", "gold")));
        assertEquals(
                Map.of("skill", "gold"),
                d.updateAttributes(l.id(), "a", Map.of("map", "x"), Set.of("map"))
                        .attributes(),
                "a key both set and removed is removed");

        assertEquals(Reason.FORBIDDEN, reason(() -> d.updateAttributes(l.id(), "b", Map.of("map", "y"), Set.of())));
        assertEquals(Reason.NOT_MEMBER, reason(() -> d.updateAttributes(l.id(), "zed", Map.of("map", "y"), Set.of())));
        assertEquals(Reason.NOT_FOUND, reason(() -> d.updateAttributes("nope", "a", Map.of("map", "y"), Set.of())));
    }

    @Test
    void refusesMoreThanSixteenAttributesAndChangesNothing() throws Exception {
        LobbyDirectory d = directory(10);
        Map<String, String> fifteen = new java.util.HashMap<>();
        for (int i = 0; i < 15; i++) {
            fifteen.put("k" + i, "v" + i);
        }
        Lobby l = d.create(withAttributes("n", 4, false, fifteen), m("a"));
        Lobby sixteen = d.updateAttributes(l.id(), "a", Map.of("k15", "v15"), Set.of());
        assertEquals(LobbyDirectory.MAX_ATTRIBUTES, sixteen.attributes().size());
        assertEquals(Reason.INVALID, reason(() -> d.updateAttributes(l.id(), "a", Map.of("k16", "v16"), Set.of())));
        assertEquals(sixteen, d.get(l.id()).orElseThrow(), "attributes and version unchanged");
        assertEquals(List.of(), listed(d, Map.of("k16", "v16")));
        Lobby swapped = d.updateAttributes(l.id(), "a", Map.of("k16", "v16"), Set.of("k0"));
        assertEquals(16, swapped.attributes().size(), "remove one, add one: still 16");
        assertEquals(List.of(l.id()), listed(d, Map.of("k16", "v16", "k15", "v15")));
    }

    @Test
    void goneLobbiesLeaveNothingInTheAttributeIndex() throws Exception {
        LobbyDirectory d = directory(10);
        Map<String, String> attrs = Map.of("map", "dust", "region", "eu");
        Lobby left = d.create(withAttributes("left", 4, false, attrs), m("a"));
        Lobby started = d.create(withAttributes("started", 2, false, attrs), m("b"));
        Lobby updated = d.create(withAttributes("updated", 4, false, attrs), m("c"));
        d.create(withAttributes("private", 4, true, attrs), m("p"));
        assertEquals(List.of(updated.id(), started.id(), left.id()), listed(d, attrs));
        d.join(started.id(), "", m("e"));
        d.setReady(started.id(), "b", true);
        d.setReady(started.id(), "e", true);
        d.start(started.id(), "b", 2);
        d.leave(left.id(), "a");
        d.updateAttributes(updated.id(), "c", Map.of(), Set.of("map", "region"));
        assertEquals(List.of(), listed(d, Map.of("map", "dust")));
        assertEquals(List.of(), listed(d, Map.of("region", "eu")));
        d.leave(updated.id(), "c");
        assertEquals(0, attributeIndexEntries(d), "attribute index entries left");
    }

    @Test
    void holdsNothingLocallyOnceItsLobbiesAreGone() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        d.join(l.id(), "", m("b"));
        Lobby started = d.create(new NewLobby("s", "arena", 2, false), m("c"));
        d.join(started.id(), "", m("e"));
        d.setReady(started.id(), "c", true);
        d.setReady(started.id(), "e", true);
        d.start(started.id(), "c", 2);
        d.leave(l.id(), "a");
        d.leave(l.id(), "b");
        assertEquals(0, d.localLobbies(), "lobbies held here");
        assertEquals(0, d.localMembers(), "members indexed here");
    }
}
