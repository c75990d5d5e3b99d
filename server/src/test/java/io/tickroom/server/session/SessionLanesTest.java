package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.auth.Principal;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.testing.RecordingSink;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket-free: a session's lane runs its open, requests and close in order, bounded, and nothing after the close. */
@Timeout(30)
class SessionLanesTest {
    final SessionLanes lanes = new SessionLanes("test", 2, 3);
    final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        lanes.close();
    }

    static ClientSession session(String id, String user) {
        RecordingSink sink = new RecordingSink();
        return new ClientSession(
                id,
                new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                Namespace.PLAY,
                "127.0.0.1",
                sink,
                new Outbound(sink, 64, 8, () -> 0L),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0));
    }

    Runnable step(String name) {
        return () -> ran.add(name);
    }

    /** A request that holds the lane until the latch opens. */
    Runnable blocking(CountDownLatch started, CountDownLatch go) {
        return () -> {
            started.countDown();
            try {
                go.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.add("blocker");
        };
    }

    @Test
    void openRequestsAndCloseRunInOrderAndNothingIsAcceptedAfterTheClose() throws Exception {
        ClientSession s = session("s1", "u");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        lanes.open(s, step("open"), () -> {
            ran.add("close");
            closed.countDown();
        });
        assertEquals(SessionLanes.Admission.QUEUED, lanes.submit(s, blocking(started, go)));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertEquals(SessionLanes.Admission.QUEUED, lanes.submit(s, step("r1")));
        assertEquals(SessionLanes.Admission.QUEUED, lanes.submit(s, step("r2")));
        assertTrue(s.isAlive());

        s.close(CloseCodes.NORMAL, "bye");
        assertFalse(s.isAlive(), "not alive from the moment the lane accepted the close");
        assertEquals(SessionLanes.Admission.CLOSING, lanes.submit(s, step("late")));
        go.countDown();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("open", "blocker", "r1", "r2", "close"), ran);
        io.tickroom.server.testing.Await.until(
                s.lane()::isIdle, java.time.Duration.ofSeconds(5), () -> "lane not idle");
    }

    @Test
    void pastTheBoundARequestIsRefusedButTheCloseIsNot() throws Exception {
        ClientSession s = session("s1", "u");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        lanes.open(s, step("open"), () -> {
            ran.add("close");
            closed.countDown();
        });
        lanes.submit(s, blocking(started, go));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        for (int i = 1; i <= 3; i++) {
            assertEquals(SessionLanes.Admission.QUEUED, lanes.submit(s, step("r" + i)));
        }
        assertEquals(SessionLanes.Admission.FULL, lanes.submit(s, step("r4")), "three may wait: RATE_LIMITED");
        assertEquals(1, lanes.refusedFull());
        s.transportClosed(1006, "");
        assertTrue(s.isClosing());
        go.countDown();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("open", "blocker", "r1", "r2", "r3", "close"), ran);
    }

    @Test
    void theFirstCloseNamesTheCodeAndLaterOnesChangeNothing() {
        ClientSession s = session("s1", "u");
        lanes.open(s, step("open"), step("close"));
        s.close(CloseCodes.KICKED, CloseCodes.KICKED_BY_OPERATOR);
        s.transportClosed(1006, "");
        assertFalse(s.resumable(), "kicked, even though the socket then dropped");
    }

    @Test
    void aGuardedStepRunsWhileTheSessionIsAliveAndNeverOnceItsCloseIsAccepted() throws Exception {
        ClientSession s = session("s1", "u");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        lanes.open(s, step("open"), () -> {
            ran.add("close");
            closed.countDown();
        });
        lanes.submit(s, blocking(started, go));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        assertTrue(s.ifAlive(step("guarded before")));
        s.close(CloseCodes.NORMAL, "bye");
        assertFalse(s.ifAlive(step("guarded after")), "the close is accepted though it has not run yet");
        go.countDown();
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertEquals(List.of("open", "guarded before", "blocker", "close"), ran);
    }

    @Test
    void aLaneWaitingOnSomethingSlowDoesNotHoldTheOthers() throws Exception {
        ClientSession slow = session("s1", "u1");
        ClientSession other = session("s2", "u2");
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch served = new CountDownLatch(1);
        lanes.open(slow, step("open slow"), step("close slow"));
        lanes.open(other, step("open other"), step("close other"));
        lanes.submit(slow, blocking(started, go));
        assertTrue(started.await(5, TimeUnit.SECONDS));
        lanes.submit(other, served::countDown);
        assertTrue(served.await(5, TimeUnit.SECONDS), "served while the slow lane still waits");
        go.countDown();
    }

    @Test
    void aJoinFromAnotherThreadRacingTheCloseLeavesNoMembership() throws Exception {
        Rooms rooms = new Rooms();
        SessionRegistry registry = new SessionRegistry(lanes);
        registry.addListener(rooms);
        for (int round = 0; round < 500; round++) {
            ClientSession s = session("s" + round, "u" + round);
            registry.open(s);
            CountDownLatch ready = new CountDownLatch(1);
            Thread joiner = new Thread(() -> {
                ready.countDown();
                for (int i = 0; i < 20; i++) {
                    rooms.join(
                            s,
                            io.tickroom.server.room.RoomId.lobby(
                                    Integer.toString(i))); // a remote node's membership change, say
                }
            });
            joiner.start();
            ready.await();
            s.transportClosed(1000, "");
            joiner.join();
            assertTrue(registry.awaitEmpty(5_000), "the close ran");
            assertEquals(0, rooms.membershipCount(), "round " + round + ": " + rooms.roomsOf(s));
            assertEquals(0, rooms.roomCount());
        }
    }

    @Test
    void theRegistryHasASessionFromItsOpenToItsCloseAndListenersHearBothInOrder() throws Exception {
        SessionRegistry registry = new SessionRegistry(lanes);
        CountDownLatch closed = new CountDownLatch(1);
        registry.addListener(new SessionListener() {
            @Override
            public void opened(ClientSession session) {
                ran.add("opened " + registry.get(session.id()).id());
            }

            @Override
            public void closed(ClientSession session) {
                ran.add("closed, registered: " + (registry.get(session.id()) != null));
                closed.countDown();
            }
        });
        ClientSession s = session("s1", "u");
        registry.open(s, step("then"));
        lanes.submit(s, step("request"));
        registry.close(s);
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        assertTrue(registry.awaitEmpty(1_000));
        assertEquals(List.of("opened s1", "then", "request", "closed, registered: false"), ran);
        assertEquals(0, registry.count());
        assertFalse(registry.isOnline("u"));
    }
}
