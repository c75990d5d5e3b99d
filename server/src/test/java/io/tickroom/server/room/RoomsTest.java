package io.tickroom.server.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.Ok;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.session.TokenBucket;
import io.tickroom.server.testing.RecordingSink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pins the delivery meanings: to (union, once), except, excluding the sender, to a user. */
class RoomsTest {
    static final RoomId L1 = RoomId.lobby("1");
    static final RoomId L2 = RoomId.lobby("2");
    final Rooms rooms = new Rooms();
    final Map<String, RecordingSink> sinks = new HashMap<>();
    ClientSession a1;
    ClientSession a2;
    ClientSession b;
    ClientSession c;
    static final ServerFrame FRAME =
            ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()).build();

    ClientSession session(String id, String user) {
        RecordingSink sink = new RecordingSink();
        sinks.put(id, sink);
        ClientSession s = new ClientSession(
                id,
                new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                Namespace.PLAY,
                "127.0.0.1",
                sink,
                new Outbound(sink, 16, 4, () -> 0L),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0));
        rooms.opened(s);
        return s;
    }

    int received(String id) {
        return sinks.get(id).written.size();
    }

    @BeforeEach
    void setUp() {
        a1 = session("a1", "alice");
        a2 = session("a2", "alice");
        b = session("b", "bob");
        c = session("c", "carol");
        rooms.join(a1, L1);
        rooms.join(b, L1);
        rooms.join(b, L2);
        rooms.join(c, L2);
    }

    @Test
    void toOneRoomReachesItsMembers() {
        assertEquals(2, rooms.to(L1).emit(FRAME));
        assertEquals(1, received("a1"));
        assertEquals(0, received("a2"));
        assertEquals(1, received("b"));
        assertEquals(0, received("c"));
    }

    @Test
    void aBroadcastEncodesItsFrameOnceWhateverTheAudience() {
        long before = io.tickroom.server.session.Frames.encodedFrames();
        assertEquals(4, rooms.to(L1, L2, RoomId.user("alice")).emit(FRAME));
        assertEquals(1, io.tickroom.server.session.Frames.encodedFrames() - before);
    }

    @Test
    void aRoomsDeliveryListFollowsEveryJoinAndLeave() {
        ClientSession[] first = rooms.deliveryList(L1);
        assertEquals(Set.of(a1, b), Set.of(first));
        org.junit.jupiter.api.Assertions.assertSame(first, rooms.deliveryList(L1), "no change: the same copy");
        rooms.join(c, L1);
        assertEquals(3, rooms.to(L1).emit(FRAME), "a member who joined after the last delivery gets the next");
        assertEquals(1, received("c"));
        rooms.leave(a1, L1);
        assertEquals(Set.of(b, c), Set.of(rooms.deliveryList(L1)), "a leaver is not delivered to");
        ClientSession[] afterLeave = rooms.deliveryList(L1);
        rooms.join(a2, L1);
        org.junit.jupiter.api.Assertions.assertNotSame(afterLeave, rooms.deliveryList(L1), "a join makes a new copy");
        rooms.leave(a2, L1);
        assertEquals(2, rooms.to(L1).emit(FRAME));
        assertEquals(1, received("a1"), "a1 got only the delivery before it left");
        rooms.leave(b, L1);
        rooms.leave(c, L1);
        assertEquals(0, rooms.deliveryList(L1).length, "an empty room is gone with its copy");
    }

    @Test
    void aDeliveryListHasEveryJoinThatCameBeforeItAndNoLeaveWhileOthersChurn() throws Exception {
        churnAgainstAProbe(0); // a small room: its member array is its delivery list
    }

    @Test
    void aBigRoomsDeliveryListHasEveryJoinThatCameBeforeItAndNoLeaveWhileOthersChurn() throws Exception {
        churnAgainstAProbe(24); // past the array: a concurrent set and a copy made per change
    }

    @Test
    void aRoomThatGrowsPastItsArrayAndShrinksKeepsEveryMemberOnce() {
        RoomId lounge = RoomId.lobby("grows");
        List<ClientSession> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ClientSession s = session("g" + i, "grower" + i);
            all.add(s);
            rooms.join(s, lounge);
            rooms.join(s, lounge); // twice: still once
            assertEquals(Set.copyOf(all), Set.of(rooms.deliveryList(lounge)), "after join " + i);
            assertEquals(i + 1, rooms.deliveryList(lounge).length, "each member once, after join " + i);
            assertEquals(i + 1, rooms.members(lounge).size());
            assertTrue(rooms.isIn(s, lounge));
            assertTrue(rooms.isIn(all.get(0), lounge));
            assertTrue(rooms.roomsOf(s).contains(lounge));
        }
        for (int i = 0; i < 40; i++) {
            ClientSession s = all.get(i);
            rooms.leave(s, lounge);
            assertFalse(rooms.isIn(s, lounge));
            assertEquals(Set.copyOf(all.subList(i + 1, 40)), Set.of(rooms.deliveryList(lounge)), "after leave " + i);
            assertEquals(Set.of(RoomId.user("grower" + i)), rooms.roomsOf(s));
        }
        assertFalse(rooms.roomNames().contains(lounge), "the emptied room is gone");
    }

    private void churnAgainstAProbe(int residents) throws Exception {
        RoomId lounge = RoomId.lobby("lounge");
        for (int i = 0; i < residents; i++) {
            rooms.join(session("resident" + i, "resident" + i), lounge);
        }
        List<ClientSession> churners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            churners.add(session("churn" + i, "churner" + i));
        }
        ClientSession probe = session("probe", "probe");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread churn = new Thread(() -> {
            for (int round = 0; !stop.get(); round++) {
                ClientSession s = churners.get(round % churners.size());
                rooms.join(s, lounge);
                rooms.deliveryList(lounge); // copies made while the probe's changes run
                rooms.leave(s, lounge);
            }
        });
        churn.start();
        try {
            for (int i = 0; i < 20_000; i++) {
                rooms.join(probe, lounge);
                assertTrue(
                        List.of(rooms.deliveryList(lounge)).contains(probe), "join " + i + " is in the next delivery");
                rooms.leave(probe, lounge);
                assertFalse(List.of(rooms.deliveryList(lounge)).contains(probe), "leave " + i + " is out of it");
            }
        } finally {
            stop.set(true);
            churn.join(10_000);
        }
    }

    @Test
    void toSeveralRoomsIsAUnionWithEachSessionOnce() {
        assertEquals(3, rooms.to(L1, L2).emit(FRAME));
        assertEquals(1, received("b"), "b is in both rooms and gets the frame once");
        assertEquals(1, received("c"));
    }

    @Test
    void exceptSubtractsTheMembersOfTheGivenRooms() {
        assertEquals(1, rooms.to(L1, L2).except(L1).emit(FRAME));
        assertEquals(1, received("c"));
        assertEquals(0, received("b"));
    }

    @Test
    void excludingLeavesOutTheSenderOnly() {
        assertEquals(1, rooms.to(L1).excluding(a1).emit(FRAME));
        assertEquals(0, received("a1"));
        assertEquals(1, received("b"));
    }

    @Test
    void toAUserReachesEverySessionOfThatUser() {
        assertEquals(2, rooms.to(RoomId.user("alice")).emit(FRAME));
        assertEquals(1, received("a1"));
        assertEquals(1, received("a2"));
    }

    @Test
    void toEveryoneExceptARoom() {
        assertEquals(2, rooms.toAll(java.util.List.of(a1, a2, b, c)).except(L1).emit(FRAME));
        assertEquals(1, received("a2"));
        assertEquals(1, received("c"));
    }

    @Test
    void aReliablePushToSeveralRoomsReachesEachSessionOnce() {
        java.nio.ByteBuffer encoded = io.tickroom.server.session.Frames.encode(FRAME);
        assertEquals(3, rooms.to(L1, L2).emitReliable(encoded, L1, 1));
        assertEquals(1, received("b"), "b is in both rooms and gets the push once");
        assertEquals(1, received("a1"));
        assertEquals(1, received("c"));
    }

    @Test
    void aLatestFrameToSeveralRoomsReachesEachSessionOnce() {
        java.nio.ByteBuffer encoded = io.tickroom.server.session.Frames.encode(FRAME);
        assertEquals(3, rooms.to(L1, L2).emitLatest("snapshot", encoded));
        assertEquals(1, received("b"), "b is in both rooms and gets the frame once");
        assertEquals(1, received("a1"));
        assertEquals(1, received("c"));
    }

    @Test
    void reliableAndLatestFramesReachEveryoneExceptARoom() {
        java.nio.ByteBuffer encoded = io.tickroom.server.session.Frames.encode(FRAME);
        java.util.List<ClientSession> everyone = java.util.List.of(a1, a2, b, c);
        assertEquals(2, rooms.toAll(everyone).except(L1).emitReliable(encoded, RoomId.user("x"), 1));
        assertEquals(2, rooms.toAll(everyone).except(L1).emitLatest("snapshot", encoded));
        assertEquals(0, received("a1"));
        assertEquals(0, received("b"));
        assertEquals(2, received("a2"));
        assertEquals(2, received("c"));
    }

    @Test
    void aSessionWhoseCloseWasAcceptedCannotJoinARoom() {
        int memberships = rooms.membershipCount();
        c.close(io.tickroom.server.session.CloseCodes.NORMAL, "bye");
        assertEquals(false, rooms.join(c, L1), "a session that is no longer alive joins nothing");
        assertEquals(memberships, rooms.membershipCount());
        assertEquals(Set.of(a1, b), Set.copyOf(rooms.members(L1)), "lobby:1 still has a1 and b only");
        assertEquals(Set.of(RoomId.user("carol"), L2), rooms.roomsOf(c), "its close (on its lane) leaves what it had");
    }

    @Test
    void emptyRoomsDisappearAndClosingLeavesEverything() {
        int before = rooms.roomCount();
        rooms.closed(c);
        rooms.closed(b);
        assertEquals(before - 3, rooms.roomCount(), "user:carol, user:bob and lobby:2 gone; lobby:1 kept by a1");
        rooms.closed(a1);
        rooms.closed(a2);
        assertEquals(0, rooms.roomCount());
        assertEquals(0, rooms.membershipCount());
    }
}
