package io.tickroom.server.config;

/**
 * Lobby rules.
 *
 * @param maxLobbies      lobbies this node's directory holds at once; a create past it gets
 *                        UNAVAILABLE (policy: refuse new)
 * @param minPlayers      smallest allowed max_players
 * @param maxPlayers      largest allowed max_players (64 by default; up to 1,024 for social hubs)
 * @param maxNameChars    longest lobby name
 */
public record LobbyConfig(int maxLobbies, int minPlayers, int maxPlayers, int maxNameChars) {
    public static final int DEFAULT_MAX_LOBBIES = 10_000;
    public static final int DEFAULT_MIN_PLAYERS = 2;
    public static final int DEFAULT_MAX_PLAYERS = 64;
    public static final int DEFAULT_MAX_NAME_CHARS = 64;

    public LobbyConfig {
        ConfigException.require(maxLobbies >= 1, "--max-lobbies", "must be >= 1");
        ConfigException.require(minPlayers >= 2 && minPlayers <= maxPlayers, "lobby.minPlayers", "must be 2..maxPlayers");
        ConfigException.require(maxPlayers <= 1024, "--max-lobby-players", "must be <= 1024");
        ConfigException.require(maxNameChars >= 1, "lobby.maxNameChars", "must be >= 1");
    }

    public static LobbyConfig defaults() {
        return new LobbyConfig(DEFAULT_MAX_LOBBIES, DEFAULT_MIN_PLAYERS, DEFAULT_MAX_PLAYERS, DEFAULT_MAX_NAME_CHARS);
    }
}
