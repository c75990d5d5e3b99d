package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LobbyTest {
    private static Lobby lobby(List<Member> members) {
        return new Lobby("l1", "lounge", "arena", 4_000, false, "", "m0", members, 1_000, 1);
    }

    @Test
    void aJoinedMemberIsAppendedAndTheRecordKeepsTheListItIsGiven() {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            members.add(new Member("m" + i, "member " + i, false));
        }
        Lobby before = lobby(members);
        List<Member> after = Lobby.plus(before.members(), new Member("new", "newcomer", true));

        assertEquals(2_001, after.size());
        assertEquals(before.members(), after.subList(0, 2_000), "the members before, in order");
        assertEquals(new Member("new", "newcomer", true), after.get(2_000), "the newcomer last");
        assertSame(after, before.withMembers("m0", after, 2).members(), "not copied again by the record");
        assertThrows(UnsupportedOperationException.class, () -> after.add(after.get(0)), "immutable");
        assertEquals(2_000, before.members().size(), "the lobby before is unchanged");
    }

    @Test
    void theFirstMemberOfAnEmptyListIsTheWholeList() {
        assertEquals(List.of(new Member("a", "ann", false)), Lobby.plus(List.of(), new Member("a", "ann", false)));
    }
}
