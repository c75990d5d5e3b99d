package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyDirectoryContract;
import io.tickroom.server.cluster.NewLobby;
import org.junit.jupiter.api.Test;

class MemoryLobbyDirectoryTest extends LobbyDirectoryContract {
    long nowMs = 1_000;

    @Override
    protected LobbyDirectory directory(int maxLobbies) {
        return new MemoryLobbyDirectory(maxLobbies, () -> nowMs++);
    }

    @Override
    protected int attributeIndexEntries(LobbyDirectory d) {
        return ((MemoryLobbyDirectory) d).indexSets();
    }

    @Test
    void countsTheLobbiesAndMembersItHolds() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        d.join(l.id(), "", m("b"));
        d.create(new NewLobby("o", "arena", 4, false), m("c"));
        assertEquals(2, d.localLobbies());
        assertEquals(3, d.localMembers());
    }
}
