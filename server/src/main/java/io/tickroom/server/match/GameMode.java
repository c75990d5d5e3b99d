package io.tickroom.server.match;

import io.tickroom.server.config.ConfigException;
import java.util.function.Supplier;

/**
 * A game mode, registered by name: how its matches run and who may play them.
 *
 * @param name                 the mode's name on the wire ({@code create_lobby.mode}, {@code quick_match.mode})
 * @param tickRateHz           ticks per second, 1..128
 * @param minPlayers           fewest players a lobby may start a match with
 * @param maxPlayers           most players in one match (and in one lobby of this mode)
 * @param quickMatchPlayers    players quick match puts in one match
 * @param seatReservationTtlMs how long a seat token may go unclaimed
 * @param reconnectGraceMs     how long a dropped player keeps the seat
 * @param startShortHanded     when seats go unclaimed: start with who came (true) or abort (false)
 * @param inboxCapacity        commands (inputs, claims) a match queues between ticks; past it
 *                             the sender gets RATE_LIMITED (policy: reject newest)
 * @param logic                makes a fresh game for each match
 * @param maxInputBytes        largest {@code match_input} payload a player may send; a bigger one
 *                             is answered INVALID_ARGUMENT on the thread that decoded it and never
 *                             reaches the match's inbox (nor the tick thread that would parse it)
 */
public record GameMode(String name, int tickRateHz, int minPlayers, int maxPlayers, int quickMatchPlayers,
        long seatReservationTtlMs, long reconnectGraceMs, boolean startShortHanded, int inboxCapacity,
        Supplier<MatchLogic> logic, int maxInputBytes) {

    /** Inputs are a player's intent for a tick: small (the arena's is under 20 bytes). */
    public static final int DEFAULT_MAX_INPUT_BYTES = 1024;

    public GameMode {
        ConfigException.require(name != null && name.matches("[a-z0-9][a-z0-9_-]{0,31}"), "mode.name",
                "must be 1..32 of [a-z0-9_-], was '" + name + "'");
        ConfigException.require(tickRateHz >= 1 && tickRateHz <= 128, "mode " + name + " tickRateHz", "must be 1..128");
        ConfigException.require(minPlayers >= 1 && minPlayers <= maxPlayers, "mode " + name + " minPlayers", "must be 1..maxPlayers");
        ConfigException.require(maxPlayers <= 1024, "mode " + name + " maxPlayers", "must be <= 1024");
        ConfigException.require(quickMatchPlayers >= 1 && quickMatchPlayers <= maxPlayers,
                "mode " + name + " quickMatchPlayers", "must be 1..maxPlayers");
        ConfigException.require(seatReservationTtlMs >= 100, "mode " + name + " seatReservationTtlMs", "must be >= 100");
        ConfigException.require(reconnectGraceMs >= 0, "mode " + name + " reconnectGraceMs", "must be >= 0");
        ConfigException.require(inboxCapacity >= 16, "mode " + name + " inboxCapacity", "must be >= 16");
        ConfigException.require(logic != null, "mode " + name + " logic", "missing");
        ConfigException.require(maxInputBytes >= 1 && maxInputBytes <= 1 << 20, "mode " + name + " maxInputBytes",
                "must be 1..1048576");
    }

    /** With the default input cap ({@value #DEFAULT_MAX_INPUT_BYTES} bytes). */
    public GameMode(String name, int tickRateHz, int minPlayers, int maxPlayers, int quickMatchPlayers,
            long seatReservationTtlMs, long reconnectGraceMs, boolean startShortHanded, int inboxCapacity,
            Supplier<MatchLogic> logic) {
        this(name, tickRateHz, minPlayers, maxPlayers, quickMatchPlayers, seatReservationTtlMs, reconnectGraceMs,
                startShortHanded, inboxCapacity, logic, DEFAULT_MAX_INPUT_BYTES);
    }

    public long tickIntervalNs() {
        return 1_000_000_000L / tickRateHz;
    }

    /** The defaults the issue names: 20 Hz, 15 s seat reservation, 30 s reconnect grace. */
    public static GameMode of(String name, int minPlayers, int maxPlayers, int quickMatchPlayers, Supplier<MatchLogic> logic) {
        return new GameMode(name, 20, minPlayers, maxPlayers, quickMatchPlayers, 15_000, 30_000, true, 1024, logic);
    }

    public GameMode withTiming(int hz, long reservationTtlMs, long graceMs, boolean shortHanded) {
        return new GameMode(name, hz, minPlayers, maxPlayers, quickMatchPlayers, reservationTtlMs, graceMs, shortHanded,
                inboxCapacity, logic, maxInputBytes);
    }

    public GameMode withMaxInputBytes(int bytes) {
        return new GameMode(name, tickRateHz, minPlayers, maxPlayers, quickMatchPlayers, seatReservationTtlMs,
                reconnectGraceMs, startShortHanded, inboxCapacity, logic, bytes);
    }
}
