package io.tickroom.server.cluster;

class InMemoryLobbyDirectoryTest extends LobbyDirectoryContract {
    long nowMs = 1_000;

    @Override
    LobbyDirectory directory(int maxLobbies) {
        return new InMemoryLobbyDirectory(maxLobbies, () -> nowMs++);
    }
}
