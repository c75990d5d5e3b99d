package io.tickroom.server.match;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;

/**
 * What a game may do from inside its callbacks. Part of the public game API.
 *
 * <p>Contract: the server implements this interface, a game only calls it (later versions may
 * add methods). Call it only from the {@link MatchLogic} callbacks of the match it was given to,
 * on that match's tick thread; nothing here blocks, and nothing here throws for a game that
 * keeps to that.
 *
 * @since 0.2
 */
public interface MatchContext {
    /** The match's id, as the players see it in {@code match_found} and {@code match_joined}. */
    String matchId();

    /** The mode the match runs. */
    GameMode mode();

    /**
     * The match's settings: the attributes of the lobby it started from, as they were at the
     * start ({@code create_lobby.attributes}, {@code update_lobby}); empty for a quick match. At
     * most 16 pairs, keys of [A-Za-z0-9_.-] up to 64 bytes, values up to 256 bytes. Set before
     * the first callback and fixed for the match; chosen by the lobby's host, so validate what
     * you read.
     */
    Map<String, String> settings();

    /** The tick being run (during {@code onTick}) or about to run (other callbacks). */
    long tick();

    /** Wall-clock milliseconds, for timestamps the game puts in snapshots. */
    long nowMs();

    /**
     * Wall-clock microseconds, the clock of {@link #nowMs} where the platform has them (for
     * snapshots that clients interpolate or time finer than a millisecond).
     */
    default long nowMicros() {
        return nowMs() * 1000;
    }

    /** Players holding a seat (connected or within their reconnect grace), by seat; a fresh list. */
    List<Player> players();

    /** Whether the player's seat has a live connection now (false within its reconnect grace). */
    boolean isConnected(Player p);

    /**
     * Sends a snapshot to every connected player. Volatile: encoded once for all of them; a player
     * who cannot keep up gets the newest snapshot, never a backlog. The payload is the game's own
     * format (typically its own protobuf message); keep it under the node's frame limit.
     */
    void broadcastSnapshot(ByteString payload);

    /** Sends a snapshot to one player (same volatile policy); nothing if it is not connected. */
    void sendSnapshot(Player p, ByteString payload);

    /**
     * Ends the match after the current callback; every seated player gets a reliable
     * {@code match_ended} with the reason and results. The first call wins; later calls are ignored.
     */
    void end(String reason, List<Result> results);
}
