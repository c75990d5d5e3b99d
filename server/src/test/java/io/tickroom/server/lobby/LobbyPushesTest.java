package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.LobbyDelta;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LobbyPushesTest {
    private final List<ServerFrame> pushed = new ArrayList<>();
    private final List<Runnable> timers = new ArrayList<>();
    private final LobbyPushes pushes =
            new LobbyPushes((stream, frame) -> pushed.add(frame.build()), id -> this, new LobbyPushes.Timer() {
                @Override
                public void after(long ms, Runnable task) {
                    assertEquals(LobbyPushes.COALESCE_MS, ms);
                    timers.add(task);
                }

                @Override
                public void close() {}
            });

    /** A lobby as the directory keeps it: members in join order, the first is host, +1 version a change. */
    static final class Model {
        final List<Member> members = new ArrayList<>();
        long version = 1;

        Lobby lobby() {
            return new Lobby(
                    "L1",
                    "hub",
                    "lounge",
                    4096,
                    false,
                    "CODE",
                    members.isEmpty() ? "" : members.get(0).userId(),
                    members,
                    0,
                    version,
                    Map.of("k", "v"));
        }

        Lobby join(String user) {
            members.add(new Member(user, user.toUpperCase(), false));
            version++;
            return lobby();
        }

        Lobby leave(String user) {
            members.removeIf(m -> m.userId().equals(user));
            version++;
            return lobby();
        }

        Lobby ready(String user, boolean ready) {
            members.replaceAll(m -> m.userId().equals(user) ? new Member(user, m.name(), ready) : m);
            version++;
            return lobby();
        }
    }

    private void fireTimers() {
        List<Runnable> due = new ArrayList<>(timers);
        timers.clear();
        due.forEach(Runnable::run);
    }

    private List<LobbyDelta> deltas() {
        return pushed.stream()
                .filter(ServerFrame::hasLobbyDelta)
                .map(ServerFrame::getLobbyDelta)
                .toList();
    }

    @Test
    void aSmallLobbyPushesItsWholeStateOnEveryChange() {
        Model m = new Model();
        for (int i = 0; i < LobbyPushes.DELTA_ABOVE_MEMBERS; i++) {
            Lobby l = m.join("u" + i);
            pushes.memberChanged(l, "u" + i, true);
        }
        assertEquals(LobbyPushes.DELTA_ABOVE_MEMBERS, pushed.size());
        assertTrue(pushed.stream().allMatch(ServerFrame::hasLobbyState));
        assertTrue(timers.isEmpty());
        assertEquals(0, pushes.pendingRuns());
    }

    @Test
    void aBigLobbysChangesWithinTheWindowGoOutAsOneDeltaThatAnyVersionInItCanApply() {
        Model m = new Model();
        List<Lobby> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Lobby l = m.join("u" + i);
            seen.add(l);
            pushes.memberChanged(l, "u" + i, true);
        }
        pushes.memberChanged(m.ready("u3", true), "u3", false);
        pushes.memberChanged(m.leave("u0"), "u0", false); // the host leaves: u1 hosts
        pushes.memberChanged(m.join("u0"), "u0", true); // and comes back, last in join order
        long wholeStates = pushed.stream().filter(ServerFrame::hasLobbyState).count();
        assertEquals(LobbyPushes.DELTA_ABOVE_MEMBERS, wholeStates, "whole states up to 16 members");
        assertEquals(1, pushes.pendingRuns());
        assertEquals(1, timers.size(), "one flush per run");
        fireTimers();
        assertEquals(0, pushes.pendingRuns());
        List<LobbyDelta> d = deltas();
        assertEquals(1, d.size(), "the changes from the 17th member on are one push");
        LobbyDelta delta = d.get(0);
        Lobby last = m.lobby();
        assertEquals(seen.get(LobbyPushes.DELTA_ABOVE_MEMBERS - 1).version(), delta.getFromVersion());
        assertEquals(last.version(), delta.getVersion());
        assertEquals("u1", delta.getHostUserId());
        assertEquals(List.of(), delta.getRemovedList(), "u0 came back: it is among the joined");
        assertEquals("u0", delta.getJoined(delta.getJoinedCount() - 1).getUserId());
        // every client holding any version from the delta's start on reaches exactly the last state
        for (Lobby at : seen.subList(LobbyPushes.DELTA_ABOVE_MEMBERS - 1, seen.size())) {
            assertEquals(last, LobbyCodec.apply(at, delta).orElseThrow(), "from version " + at.version());
        }
        assertTrue(LobbyCodec.apply(seen.get(3), delta).isEmpty(), "a client behind the delta must ask");
        assertEquals(last, LobbyCodec.apply(last, delta).orElseThrow(), "already applied: unchanged");
    }

    @Test
    void anotherNodesChangeInBetweenEndsTheRun() {
        Model m = new Model();
        for (int i = 0; i < 20; i++) {
            pushes.memberChanged(m.join("u" + i), "u" + i, true);
        }
        m.join("elsewhere"); // another node's change: this node never sees that version
        Lobby after = m.join("u20");
        pushes.memberChanged(after, "u20", true);
        List<LobbyDelta> d = deltas();
        assertEquals(1, d.size(), "the first run went out when the versions stopped following on");
        fireTimers();
        d = deltas();
        assertEquals(2, d.size());
        assertEquals(d.get(0).getVersion() + 1, d.get(1).getFromVersion(), "the gap is the other node's change");
    }

    @Test
    void aFullRunGoesOutAtOnceAndAWholeStateDropsThePendingRun() {
        Model m = new Model();
        for (int i = 0; i < LobbyPushes.DELTA_ABOVE_MEMBERS; i++) {
            pushes.memberChanged(m.join("u" + i), "u" + i, true);
        }
        pushed.clear();
        for (int i = 0; i < LobbyPushes.MAX_RUN_CHANGES; i++) {
            pushes.memberChanged(m.join("v" + i), "v" + i, true);
        }
        assertEquals(1, deltas().size(), "a run of " + LobbyPushes.MAX_RUN_CHANGES + " members is pushed at once");
        assertEquals(LobbyPushes.MAX_RUN_CHANGES, deltas().get(0).getJoinedCount());
        pushes.memberChanged(m.join("w"), "w", true);
        assertEquals(1, pushes.pendingRuns());
        pushes.state(m.lobby()); // an update: the whole state holds the pending change
        assertEquals(0, pushes.pendingRuns());
        fireTimers();
        assertEquals(1, deltas().size(), "the dropped run never goes out");
    }

    @Test
    void randomChangesAppliedFromAnyVersionOfTheRunReachTheDirectorysState() {
        for (long seed = 1; seed <= 200; seed++) {
            Random rnd = new Random(seed);
            pushed.clear();
            timers.clear();
            Model m = new Model();
            for (int i = 0; i < 20; i++) {
                pushes.memberChanged(m.join("s" + i), "s" + i, true);
            }
            fireTimers();
            List<Lobby> seen = new ArrayList<>(List.of(m.lobby()));
            int next = 20;
            for (int k = 0; k < 30; k++) {
                int op = rnd.nextInt(3);
                String user;
                Lobby l;
                boolean join = false;
                if (op == 0 || m.members.size() <= LobbyPushes.DELTA_ABOVE_MEMBERS + 1) {
                    join = true;
                    user = rnd.nextInt(4) == 0 && next > 20 ? "s" + rnd.nextInt(next) : "s" + next++;
                    if (m.members.stream().anyMatch(x -> x.userId().equals(user))) {
                        continue;
                    }
                    l = m.join(user);
                } else if (op == 1) {
                    user = m.members.get(rnd.nextInt(m.members.size())).userId();
                    l = m.leave(user);
                } else {
                    user = m.members.get(rnd.nextInt(m.members.size())).userId();
                    l = m.ready(user, rnd.nextBoolean());
                }
                seen.add(l);
                pushes.memberChanged(l, user, join);
            }
            fireTimers();
            Lobby last = m.lobby();
            for (Lobby at : seen) {
                Lobby view = at;
                for (LobbyDelta d : deltas()) {
                    view = LobbyCodec.apply(view, d).orElseThrow();
                }
                assertEquals(last, view, "seed " + seed + " from version " + at.version());
            }
        }
    }
}
