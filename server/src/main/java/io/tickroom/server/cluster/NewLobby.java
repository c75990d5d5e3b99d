package io.tickroom.server.cluster;

/** What a client asked for when creating a lobby, already validated. */
public record NewLobby(String name, String mode, int maxPlayers, boolean isPrivate) {
}
