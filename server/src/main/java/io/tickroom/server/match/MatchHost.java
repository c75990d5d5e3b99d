package io.tickroom.server.match;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.ClientSession;

/**
 * What a match needs from the node, implemented by {@link MatchService}. Called on the match's
 * tick thread; every method is thread-safe and never waits (on Redis or on anything else).
 */
interface MatchHost {
    long nowMs();

    /** Wall-clock microseconds (the clock of {@link #nowMs}, finer). */
    default long nowMicros() {
        return nowMs() * 1000;
    }

    /**
     * The session now holds a seat of the match: it joins the match room. Refused (false, and
     * nothing changes) when the session is no longer alive, so a seat is never bound to a
     * session whose close has run or is on its way.
     */
    boolean bind(ClientSession session, Match match);

    /** The session no longer holds a seat of the match. */
    void unbind(ClientSession session, Match match);

    /** The user's seat is gone for good (left, grace over, match ended). */
    void released(String userId, Match match);

    /** Sends a reliable push on the user's stream, through the node's outbox (never waits). */
    void publishToUser(String userId, ServerFrame.Builder frame);

    /** Emits an encoded volatile frame to every session in the match room, newest wins. */
    void emitSnapshot(Match match, java.nio.ByteBuffer encoded);

    /** The match is over and cleaned up: forget it. */
    void ended(Match match);
}
