package io.tickroom.server.match;

import java.util.function.Supplier;

/**
 * A game mode, registered by name: how its matches run and who may play them. Part of the
 * public game API: a {@link GameModeProvider} returns these, the node serves each under its name.
 *
 * <p>Construct one with {@link #of} and adjust it with the {@code with...} methods; the canonical
 * constructor lists every setting and gains a parameter whenever a setting is added (a later
 * version keeps the old one as an overload). Every setting is checked when the mode is built:
 * a bad one throws {@link IllegalArgumentException} naming the mode and the setting, and a node
 * offered such a mode refuses to start. Immutable and thread-safe.
 *
 * @param name                 the mode's name on the wire ({@code create_lobby.mode}, {@code quick_match.mode}):
 *                             1..32 of [a-z0-9_-], starting with a letter or digit; unique on a node
 * @param tickRateHz           ticks per second, 1..128
 * @param minPlayers           fewest players a lobby may start a match with, 1..maxPlayers
 * @param maxPlayers           most players in one match (and in one lobby of this mode), at most 4096
 * @param quickMatchPlayers    players quick match puts in one match, 1..maxPlayers; 0 turns quick match off
 * @param seatReservationTtlMs how long a seat token may go unclaimed, at least 100
 * @param reconnectGraceMs     how long a dropped player keeps the seat, at least 0
 * @param startShortHanded     when seats go unclaimed: start with who came (true) or abort (false)
 * @param inboxCapacity        commands (inputs, claims) a match queues between ticks, at least 16; past it
 *                             the sender gets RATE_LIMITED (policy: reject newest)
 * @param logic                makes a fresh game for each match; called on the thread that creates the
 *                             match, once per match, and must not block
 * @param maxInputBytes        largest {@code match_input} payload a player may send; a bigger one
 *                             is answered INVALID_ARGUMENT on the thread that decoded it and never
 *                             reaches the match's inbox (nor the tick thread that would parse it)
 * @since 0.2
 */
public record GameMode(
        String name,
        int tickRateHz,
        int minPlayers,
        int maxPlayers,
        int quickMatchPlayers,
        long seatReservationTtlMs,
        long reconnectGraceMs,
        boolean startShortHanded,
        int inboxCapacity,
        Supplier<MatchLogic> logic,
        int maxInputBytes) {

    /** Inputs are a player's intent for a tick: small (the arena's is under 20 bytes). */
    public static final int DEFAULT_MAX_INPUT_BYTES = 1024;

    /**
     * Checks every setting.
     *
     * @throws IllegalArgumentException naming the mode and the setting that is out of range
     */
    public GameMode {
        require(
                name != null && name.matches("[a-z0-9][a-z0-9_-]{0,31}"),
                "mode.name",
                "must be 1..32 of [a-z0-9_-], was '" + name + "'");
        require(tickRateHz >= 1 && tickRateHz <= 128, "mode " + name + " tickRateHz", "must be 1..128");
        require(minPlayers >= 1 && minPlayers <= maxPlayers, "mode " + name + " minPlayers", "must be 1..maxPlayers");
        require(maxPlayers <= 4096, "mode " + name + " maxPlayers", "must be <= 4096");
        require(
                quickMatchPlayers >= 0 && quickMatchPlayers <= maxPlayers,
                "mode " + name + " quickMatchPlayers",
                "must be 1..maxPlayers (0: no quick match)");
        require(seatReservationTtlMs >= 100, "mode " + name + " seatReservationTtlMs", "must be >= 100");
        require(reconnectGraceMs >= 0, "mode " + name + " reconnectGraceMs", "must be >= 0");
        require(inboxCapacity >= 16, "mode " + name + " inboxCapacity", "must be >= 16");
        require(logic != null, "mode " + name + " logic", "missing");
        require(
                maxInputBytes >= 1 && maxInputBytes <= 1 << 20,
                "mode " + name + " maxInputBytes",
                "must be 1..1048576");
    }

    /** With the default input cap ({@value #DEFAULT_MAX_INPUT_BYTES} bytes). */
    public GameMode(
            String name,
            int tickRateHz,
            int minPlayers,
            int maxPlayers,
            int quickMatchPlayers,
            long seatReservationTtlMs,
            long reconnectGraceMs,
            boolean startShortHanded,
            int inboxCapacity,
            Supplier<MatchLogic> logic) {
        this(
                name,
                tickRateHz,
                minPlayers,
                maxPlayers,
                quickMatchPlayers,
                seatReservationTtlMs,
                reconnectGraceMs,
                startShortHanded,
                inboxCapacity,
                logic,
                DEFAULT_MAX_INPUT_BYTES);
    }

    private static void require(boolean ok, String setting, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(setting + ": " + problem);
        }
    }

    /** The tick period. */
    public long tickIntervalNs() {
        return 1_000_000_000L / tickRateHz;
    }

    /** Whether {@code quick_match} serves this mode ({@link #quickMatchPlayers()} above 0). */
    public boolean quickMatch() {
        return quickMatchPlayers > 0;
    }

    /**
     * A mode with the defaults: 20 Hz, 15 s seat reservation, 30 s reconnect grace, start
     * short-handed, an inbox of 1,024 commands.
     *
     * @param quickMatchPlayers players per quick match; 0 turns quick match off
     * @throws IllegalArgumentException as the constructor
     */
    public static GameMode of(
            String name, int minPlayers, int maxPlayers, int quickMatchPlayers, Supplier<MatchLogic> logic) {
        return new GameMode(name, 20, minPlayers, maxPlayers, quickMatchPlayers, 15_000, 30_000, true, 1024, logic);
    }

    /**
     * This mode with other timing: tick rate, seat reservation, reconnect grace, and whether
     * unclaimed seats start the match short-handed.
     *
     * @throws IllegalArgumentException as the constructor
     */
    public GameMode withTiming(int hz, long reservationTtlMs, long graceMs, boolean shortHanded) {
        return new GameMode(
                name,
                hz,
                minPlayers,
                maxPlayers,
                quickMatchPlayers,
                reservationTtlMs,
                graceMs,
                shortHanded,
                inboxCapacity,
                logic,
                maxInputBytes);
    }

    public GameMode withMaxInputBytes(int bytes) {
        return new GameMode(
                name,
                tickRateHz,
                minPlayers,
                maxPlayers,
                quickMatchPlayers,
                seatReservationTtlMs,
                reconnectGraceMs,
                startShortHanded,
                inboxCapacity,
                logic,
                bytes);
    }

    /**
     * This mode with another inbox capacity (commands a match queues between ticks).
     *
     * @throws IllegalArgumentException as the constructor
     */
    public GameMode withInboxCapacity(int commands) {
        return new GameMode(
                name,
                tickRateHz,
                minPlayers,
                maxPlayers,
                quickMatchPlayers,
                seatReservationTtlMs,
                reconnectGraceMs,
                startShortHanded,
                commands,
                logic);
    }
}
