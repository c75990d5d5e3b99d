package io.tickroom.server.cluster;

import java.util.List;

/** One page of a listing; {@code nextOffset} is -1 on the last page. */
public record LobbyPage(List<Lobby> lobbies, int nextOffset) {
    public LobbyPage {
        lobbies = List.copyOf(lobbies);
    }
}
