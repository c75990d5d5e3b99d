package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.cluster.LobbyException.Reason;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

/** What every {@link LobbyDirectory} must do; run against memory and Redis. */
public abstract class LobbyDirectoryContract {

    /** A fresh, empty directory holding at most {@code maxLobbies}. */
    protected abstract LobbyDirectory directory(int maxLobbies);

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
        assertEquals(0, d.list("arena", LobbyDirectory.Order.NEWEST, 0, 10).lobbies().size());
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
