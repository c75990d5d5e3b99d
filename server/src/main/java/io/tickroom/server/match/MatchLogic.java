package io.tickroom.server.match;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * The game: what a studio implements. Every call comes from the match's one tick thread, in
 * order, so an implementation keeps plain fields and needs no locks. It sees no sockets, Redis or
 * threads. If a call throws, the match ends with reason "internal error"; other matches go on.
 *
 * <p>Order of calls: {@code onJoin} as each player first takes a seat; {@code onStart} once, when
 * every seat is taken or the reservation time is up (short-handed modes); then per tick: the
 * player events and inputs that arrived since the last tick, in arrival order, then {@code onTick}.
 */
public interface MatchLogic {

    default void onJoin(MatchContext ctx, Player player) {
    }

    void onStart(MatchContext ctx, List<Player> players);

    /** The player's connection dropped; the seat is kept for the mode's reconnect grace. */
    default void onDisconnect(MatchContext ctx, Player player) {
    }

    /** The player is back within the grace, on a new connection. */
    default void onReconnect(MatchContext ctx, Player player) {
    }

    /** The player is gone for good: left, or the grace ran out. */
    default void onLeave(MatchContext ctx, Player player) {
    }

    /** One input, applied on the tick after it arrived; {@code clientTick} is what the client said. */
    void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload);

    /** Advances the game one fixed step. */
    void onTick(MatchContext ctx, long tick);
}
