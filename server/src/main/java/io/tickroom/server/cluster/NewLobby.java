package io.tickroom.server.cluster;

import java.util.Map;

/**
 * What a client asked for when creating a lobby, already validated.
 *
 * @param attributes the lobby's attributes (at most {@link LobbyDirectory#MAX_ATTRIBUTES})
 */
public record NewLobby(String name, String mode, int maxPlayers, boolean isPrivate, Map<String, String> attributes) {
    public NewLobby {
        attributes = Map.copyOf(attributes);
    }

    /** A lobby without attributes. */
    public NewLobby(String name, String mode, int maxPlayers, boolean isPrivate) {
        this(name, mode, maxPlayers, isPrivate, Map.of());
    }
}
