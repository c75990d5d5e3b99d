package io.tickroom.server.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one string form of a room: what the wire and the bus carry. */
class RoomIdTest {

    @Test
    void theStringFormIsKindColonIdAndReadsBack() {
        assertEquals("lobby:4f2kq9", RoomId.lobby("4f2kq9").name());
        assertEquals("user:alice", RoomId.user("alice").name());
        assertEquals("match:m1", RoomId.match("m1").name());
        for (RoomId r : new RoomId[] {RoomId.lobby("4f2kq9"), RoomId.user("alice"), RoomId.match("m1")}) {
            assertEquals(Optional.of(r), RoomId.parse(r.name()));
        }
    }

    @Test
    void aUserIdMayHoldColons() {
        RoomId r = RoomId.user("google:1234@example.com");
        assertEquals(Optional.of(r), RoomId.parse("user:google:1234@example.com"));
    }

    @Test
    void namesOfNoRoomReadAsNothing() {
        for (String bad : new String[] {"", "lobby", "lobby:", "room:1", ":1", "LOBBY:1"}) {
            assertEquals(Optional.empty(), RoomId.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> RoomId.lobby(""));
    }

    @Test
    void lobbiesAndUsersAreStreamsAndMatchesAreNot() {
        assertTrue(RoomId.lobby("l").isStream());
        assertTrue(RoomId.user("u").isStream());
        assertFalse(RoomId.match("m").isStream());
    }

    @Test
    void equalRoomsHashAlike() {
        assertEquals(RoomId.lobby("x"), RoomId.parse("lobby:x").orElseThrow());
        assertEquals(
                RoomId.lobby("x").hashCode(),
                RoomId.parse("lobby:x").orElseThrow().hashCode());
        assertFalse(RoomId.lobby("x").equals(RoomId.user("x")));
    }
}
