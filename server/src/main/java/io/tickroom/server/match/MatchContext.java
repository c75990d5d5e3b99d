package io.tickroom.server.match;

import com.google.protobuf.ByteString;
import java.util.List;

/**
 * What a game may do, from inside its callbacks (on its tick thread). Nothing here blocks.
 */
public interface MatchContext {
    String matchId();

    GameMode mode();

    /** The tick being run (during {@code onTick}) or about to run (other callbacks). */
    long tick();

    /** Wall-clock milliseconds, for timestamps the game puts in snapshots. */
    long nowMs();

    /** Players holding a seat (connected or within their reconnect grace), by seat. */
    List<Player> players();

    boolean isConnected(Player p);

    /**
     * Sends a snapshot to every connected player. Volatile: encoded once for all of them; a player
     * who cannot keep up gets the newest snapshot, never a backlog.
     */
    void broadcastSnapshot(ByteString payload);

    /** Sends a snapshot to one player (same volatile policy). */
    void sendSnapshot(Player p, ByteString payload);

    /** Ends the match after this callback; every seated player gets a reliable {@code match_ended}. */
    void end(String reason, List<Result> results);
}
