package io.tickroom.server.config;

import java.util.Set;

/**
 * Lobby rules.
 *
 * @param maxLobbies      lobbies this node's directory holds at once; a create past it gets
 *                        UNAVAILABLE (policy: refuse new)
 * @param minPlayers      smallest allowed max_players
 * @param maxPlayers      largest allowed max_players
 * @param maxNameChars    longest lobby name
 * @param modes           game modes a lobby may be created for
 */
public record LobbyConfig(int maxLobbies, int minPlayers, int maxPlayers, int maxNameChars, Set<String> modes) {

    public LobbyConfig {
        modes = Set.copyOf(modes);
        ConfigException.require(maxLobbies >= 1, "--max-lobbies", "must be >= 1");
        ConfigException.require(minPlayers >= 2 && minPlayers <= maxPlayers, "lobby.minPlayers", "must be 2..maxPlayers");
        ConfigException.require(maxPlayers <= 64, "lobby.maxPlayers", "must be <= 64");
        ConfigException.require(maxNameChars >= 1, "lobby.maxNameChars", "must be >= 1");
        ConfigException.require(!modes.isEmpty(), "--modes", "must name at least one game mode");
    }

    public static LobbyConfig defaults() {
        return new LobbyConfig(10_000, 2, 64, 64, Set.of("arena"));
    }
}
