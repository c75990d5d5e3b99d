package io.tickroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.protocol.v1.LobbyDelta;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import java.util.List;
import org.junit.jupiter.api.Test;

class LobbyViewTest {
    private static LobbyMember m(String id, boolean ready) {
        return LobbyMember.newBuilder()
                .setUserId(id)
                .setName(id)
                .setReady(ready)
                .build();
    }

    private static LobbyState state(long version, String... ids) {
        LobbyState.Builder b =
                LobbyState.newBuilder().setLobbyId("L").setVersion(version).setHostUserId(ids[0]);
        for (String id : ids) {
            b.addMembers(m(id, false));
        }
        return b.build();
    }

    private static List<String> ids(LobbyState s) {
        return s.getMembersList().stream()
                .map(x -> x.getUserId() + (x.getReady() ? "*" : ""))
                .toList();
    }

    @Test
    void aDeltaReachesTheSameStateFromAnyVersionOfItsRun() {
        LobbyDelta d = LobbyDelta.newBuilder()
                .setLobbyId("L")
                .setFromVersion(10)
                .setVersion(14)
                .setHostUserId("b")
                .addRemoved("a")
                .addJoined(m("c", false))
                .addJoined(m("x", false))
                .addChanged(m("d", true))
                .build();
        LobbyState from10 = LobbyView.apply(state(10, "a", "b", "c", "d"), d);
        LobbyState from12 = LobbyView.apply(state(12, "a", "b", "d", "c"), d); // saw c's rejoin already
        assertEquals(List.of("b", "d*", "c", "x"), ids(from10));
        assertEquals(from10, from12);
        assertEquals(14, from10.getVersion());
        assertEquals("b", from10.getHostUserId());
    }
}
