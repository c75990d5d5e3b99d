package io.tickroom.server.config;

/**
 * Lobby rules.
 *
 * @param maxLobbies      lobbies this node's directory holds at once; a create past it gets
 *                        UNAVAILABLE (policy: refuse new)
 * @param minPlayers      smallest allowed max_players
 * @param maxPlayers      largest allowed max_players (64 by default; up to 1,024 for social hubs)
 * @param maxNameChars    longest lobby name
 * @param createsPerMinutePerUser lobbies one user may create per minute (a bucket of that size,
 *                        refilling at that rate); past it RATE_LIMITED
 * @param createsPerMinutePerIp lobbies the users of one client address may create per minute on
 *                        this node; past it RATE_LIMITED
 * @param joinCodeFailuresPerMinute wrong join codes one user may try per minute (a failure budget:
 *                        a bucket of that size, refilling at that rate); once it is spent every
 *                        join by code is RATE_LIMITED until it refills, right code or not
 * @param abandonedHoldMs how long a lobby whose every member dropped (their seats held for a
 *                        resume) counts against {@code maxLobbies}: past it, a create that finds
 *                        the directory full releases such lobbies' held seats (so the lobbies go)
 *                        and takes the room; under the cap they stay for the whole resume grace
 */
public record LobbyConfig(
        int maxLobbies,
        int minPlayers,
        int maxPlayers,
        int maxNameChars,
        int createsPerMinutePerUser,
        int createsPerMinutePerIp,
        int joinCodeFailuresPerMinute,
        long abandonedHoldMs) {

    public static final int DEFAULT_CREATES_PER_MINUTE_PER_USER = 10;
    public static final int DEFAULT_CREATES_PER_MINUTE_PER_IP = 60;
    public static final int DEFAULT_JOIN_CODE_FAILURES_PER_MINUTE = 10;
    public static final long DEFAULT_ABANDONED_HOLD_MS = 15_000;
    public static final int DEFAULT_MAX_LOBBIES = 10_000;
    public static final int DEFAULT_MIN_PLAYERS = 2;
    public static final int DEFAULT_MAX_PLAYERS = 64;
    public static final int DEFAULT_MAX_NAME_CHARS = 64;

    public LobbyConfig {
        ConfigException.require(maxLobbies >= 1, "--max-lobbies", "must be >= 1");
        ConfigException.require(
                minPlayers >= 2 && minPlayers <= maxPlayers, "lobby.minPlayers", "must be 2..maxPlayers");
        ConfigException.require(maxPlayers <= 4096, "--max-lobby-players", "must be <= 4096");
        ConfigException.require(maxNameChars >= 1, "lobby.maxNameChars", "must be >= 1");
        ConfigException.require(createsPerMinutePerUser >= 1, "--lobby-creates-per-minute-per-user", "must be >= 1");
        ConfigException.require(createsPerMinutePerIp >= 1, "--lobby-creates-per-minute-per-ip", "must be >= 1");
        ConfigException.require(joinCodeFailuresPerMinute >= 1, "--join-code-failures-per-minute", "must be >= 1");
        ConfigException.require(abandonedHoldMs >= 0, "--abandoned-lobby-hold-ms", "must be >= 0");
    }

    /** With the default creation rates, join-code budget and abandoned-lobby hold. */
    public LobbyConfig(int maxLobbies, int minPlayers, int maxPlayers, int maxNameChars) {
        this(
                maxLobbies,
                minPlayers,
                maxPlayers,
                maxNameChars,
                DEFAULT_CREATES_PER_MINUTE_PER_USER,
                DEFAULT_CREATES_PER_MINUTE_PER_IP,
                DEFAULT_JOIN_CODE_FAILURES_PER_MINUTE,
                DEFAULT_ABANDONED_HOLD_MS);
    }

    public static LobbyConfig defaults() {
        return new LobbyConfig(DEFAULT_MAX_LOBBIES, DEFAULT_MIN_PLAYERS, DEFAULT_MAX_PLAYERS, DEFAULT_MAX_NAME_CHARS);
    }

    public LobbyConfig withMaxLobbies(int n) {
        return new LobbyConfig(
                n,
                minPlayers,
                maxPlayers,
                maxNameChars,
                createsPerMinutePerUser,
                createsPerMinutePerIp,
                joinCodeFailuresPerMinute,
                abandonedHoldMs);
    }

    public LobbyConfig withCreatesPerMinute(int perUser, int perIp) {
        return new LobbyConfig(
                maxLobbies,
                minPlayers,
                maxPlayers,
                maxNameChars,
                perUser,
                perIp,
                joinCodeFailuresPerMinute,
                abandonedHoldMs);
    }

    public LobbyConfig withJoinCodeFailuresPerMinute(int n) {
        return new LobbyConfig(
                maxLobbies,
                minPlayers,
                maxPlayers,
                maxNameChars,
                createsPerMinutePerUser,
                createsPerMinutePerIp,
                n,
                abandonedHoldMs);
    }

    public LobbyConfig withAbandonedHoldMs(long ms) {
        return new LobbyConfig(
                maxLobbies,
                minPlayers,
                maxPlayers,
                maxNameChars,
                createsPerMinutePerUser,
                createsPerMinutePerIp,
                joinCodeFailuresPerMinute,
                ms);
    }
}
