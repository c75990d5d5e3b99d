package io.tickroom.server.match;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The game: what a studio implements. Part of the public game API.
 *
 * <p>Contract. One instance per match, made by {@link GameMode#logic()}. Every call comes from
 * the match's one tick thread, in order, so an implementation keeps plain fields and needs no
 * locks; it sees no sockets, Redis or threads, and must not block (a tick has its period, 50 ms
 * at 20 Hz, for every match on its thread). If a call throws, the match ends with reason
 * "internal error" and the error is logged; other matches go on. Later versions add callbacks
 * only as default methods.
 *
 * <p>Order of calls: {@code onJoin} as each player first takes a seat; {@code onStart} once, when
 * every seat is taken or the reservation time is up (short-handed modes); then per tick: the
 * player events and inputs that arrived since the last tick, in arrival order, then {@code onTick}.
 * The match's settings ({@link MatchContext#settings()}) are readable from the first call on.
 *
 * @since 0.2
 */
public interface MatchLogic {

    /** A player took its seat for the first time (before {@code onStart}, or a late claim). */
    default void onJoin(MatchContext ctx, Player player) {}

    /**
     * The match starts, once: {@code players} are the seats taken (unclaimed seats of a
     * short-handed start are released). Read the lobby's settings from {@code ctx.settings()}.
     */
    void onStart(MatchContext ctx, List<Player> players);

    /** The player's connection dropped; the seat is kept for the mode's reconnect grace. */
    default void onDisconnect(MatchContext ctx, Player player) {}

    /** The player is back within the grace, on a new connection. */
    default void onReconnect(MatchContext ctx, Player player) {}

    /** The player is gone for good: left, closed its last connection on purpose, or the grace ran out. */
    default void onLeave(MatchContext ctx, Player player) {}

    /**
     * One input, applied on the tick after it arrived; {@code clientTick} is what the client said
     * and {@code payload} the client's bytes, untrusted: parse defensively and ignore what is bad.
     */
    void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload);

    /**
     * Advances the game one fixed step. {@code tick} increases with every call; on an overloaded
     * node ticks may be skipped (their numbers never run), so measure time in ticks, not calls.
     */
    void onTick(MatchContext ctx, long tick);
}
