package io.tickroom.server.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.internal.v1.MembershipChange;
import io.tickroom.protocol.internal.v1.MembershipChanged;
import io.tickroom.protocol.internal.v1.Room;
import io.tickroom.protocol.internal.v1.RoomKind;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.session.SessionLanes;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.session.TokenBucket;
import io.tickroom.server.testing.RecordingSink;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Socket-free: membership changes announced by other nodes move the user's sessions here in and
 * out of rooms, newest change first, whatever order they arrive in.
 */
@Timeout(30)
class MembershipsTest {
    static final RoomId FIRST = RoomId.lobby("first");
    static final RoomId SECOND = RoomId.lobby("second");
    final SessionLanes lanes = new SessionLanes("test", 2, 8);
    final SessionRegistry registry = new SessionRegistry(lanes);
    final Rooms rooms = new Rooms();
    final Memberships memberships = new Memberships("node-1", rooms, registry);

    @BeforeEach
    void wire() {
        registry.addListener(rooms);
        registry.addListener(memberships);
    }

    @AfterEach
    void stop() {
        lanes.close();
    }

    ClientSession open(String id, String user) throws InterruptedException {
        RecordingSink sink = new RecordingSink();
        ClientSession s = new ClientSession(
                id,
                new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                Namespace.PLAY,
                "127.0.0.1",
                sink,
                new Outbound(sink, 64, 8, () -> 0L),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0));
        CountDownLatch opened = new CountDownLatch(1);
        registry.open(s, opened::countDown);
        assertTrue(opened.await(5, TimeUnit.SECONDS));
        return s;
    }

    static MembershipChanged change(String user, RoomId lobby, long version, boolean joined) {
        return MembershipChanged.newBuilder()
                .setUserId(user)
                .setFromNode("node-2")
                .setVersion(version)
                .setRoom(Room.newBuilder().setKind(RoomKind.ROOM_KIND_LOBBY).setId(lobby.id()))
                .setChange(joined ? MembershipChange.MEMBERSHIP_JOINED : MembershipChange.MEMBERSHIP_LEFT)
                .build();
    }

    @Test
    void aChangeFromAnotherNodeMovesEverySessionOfTheUserHereAndNoOtherUsers() throws Exception {
        ClientSession phone = open("a1", "alice");
        ClientSession laptop = open("a2", "alice");
        ClientSession bob = open("b1", "bob");
        memberships.received(change("alice", FIRST, 3, true));
        assertEquals(Set.of(phone, laptop), Set.copyOf(rooms.members(FIRST)));
        assertFalse(rooms.isIn(bob, FIRST));
        memberships.received(change("alice", FIRST, 4, false));
        assertEquals(Set.of(), Set.copyOf(rooms.members(FIRST)));
    }

    @Test
    void aSessionOpenedAfterAChangeTakesTheMembershipTheUserHas() throws Exception {
        ClientSession phone = open("a1", "alice");
        assertTrue(memberships.changed("alice", FIRST, 1, true, null));
        ClientSession reloaded = open("a2", "alice"); // what the lobby service does as it opens
        assertFalse(memberships.apply("alice", FIRST, 1, true), "no news");
        assertEquals(
                Set.of(phone, reloaded), Set.copyOf(rooms.members(FIRST)), "yet the new session is in the lobby too");
    }

    @Test
    void aJoinThatArrivesAfterTheLeaveThatFollowedItChangesNothing() throws Exception {
        ClientSession s = open("a1", "alice");
        memberships.received(change("alice", FIRST, 5, false)); // a kick made on node 3 overtook the join
        memberships.received(change("alice", FIRST, 4, true));
        assertFalse(rooms.isIn(s, FIRST), "the late join did not put the session back in the lobby it was kicked from");
        assertEquals(1, rooms.roomCount(), "only its user room");
    }

    @Test
    void aLeaveWinsATieWithTheJoinOfTheSameVersion() throws Exception {
        ClientSession s = open("a1", "alice");
        memberships.received(change("alice", FIRST, 1, true));
        memberships.received(
                change("alice", FIRST, 1, false)); // the last member left: the lobby went, version unchanged
        assertFalse(rooms.isIn(s, FIRST));
        memberships.received(change("alice", SECOND, 1, false));
        memberships.received(change("alice", SECOND, 1, true));
        assertFalse(rooms.isIn(s, SECOND), "in either order");
    }

    @Test
    void versionsAreComparedWithinOneLobbyOnlySoANextLobbyWithALowerVersionIsJoined() throws Exception {
        ClientSession s = open("a1", "alice");
        memberships.received(change("alice", FIRST, 9, true));
        memberships.received(change("alice", FIRST, 10, false));
        memberships.received(change("alice", SECOND, 2, true));
        assertTrue(rooms.isIn(s, SECOND));
        assertFalse(rooms.isIn(s, FIRST));
    }

    @Test
    void aChangeOfAUserWithNoSessionHereIsIgnoredAndTheMarksGoWithTheLastSession() throws Exception {
        memberships.received(change("carol", FIRST, 1, true));
        assertEquals(0, memberships.markedUsers());
        ClientSession s = open("a1", "alice");
        memberships.received(change("alice", FIRST, 1, true));
        assertEquals(1, memberships.markedUsers());
        s.transportClosed(1006, "");
        assertTrue(registry.awaitEmpty(5_000));
        assertEquals(0, memberships.markedUsers());
        assertEquals(0, rooms.membershipCount());
    }

    @Test
    void aChangeThisNodeMadeAndHearsBackIsNotAppliedTwice() throws Exception {
        ClientSession s = open("a1", "alice");
        assertTrue(memberships.changed("alice", FIRST, 2, true, null));
        memberships.received(change("alice", FIRST, 3, false).toBuilder()
                .setFromNode("node-1")
                .build());
        assertTrue(rooms.isIn(s, FIRST), "its own announce is no news");
    }

    @Test
    void aJoinAndALeaveAppliedAtOnceOnTwoThreadsEndAsTheNewerSays() throws Exception {
        ClientSession s = open("a1", "alice");
        for (int round = 0; round < 300; round++) {
            RoomId lobby = RoomId.lobby("l" + round);
            boolean newerJoins = round % 2 == 0;
            CyclicBarrier start = new CyclicBarrier(2);
            Thread older = new Thread(() -> {
                await(start);
                memberships.apply("alice", lobby, 1, !newerJoins);
            });
            older.start();
            await(start);
            memberships.apply("alice", lobby, 2, newerJoins);
            older.join();
            assertEquals(newerJoins, rooms.isIn(s, lobby), "round " + round);
        }
    }

    private static void await(CyclicBarrier b) {
        try {
            b.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
