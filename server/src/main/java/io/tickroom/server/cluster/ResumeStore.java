package io.tickroom.server.cluster;

import io.tickroom.protocol.internal.v1.StoredSession;
import java.util.Optional;

/**
 * What another connection, on any node, needs to resume a session: who it was and its recent
 * answers. A live session has a record without expiry (clustered, so that a crashed node's
 * sessions can still be resumed: the node that cleans up after it gives them the grace); a
 * dropped one keeps its record for the resume grace; a session closed on purpose has none.
 * Single node the store is in memory and live sessions need no record.
 */
public interface ResumeStore {

    /** A session opened (clustered: recorded, no expiry, listed under its node). */
    void opened(StoredSession live);

    /** A session dropped: its record (with its answers) is kept for {@code graceMs}. */
    void detached(StoredSession ended, long graceMs);

    /** A session closed on purpose (or resumed): no record. */
    void ended(String sessionId, String nodeId);

    /** Claims a record for a resume: at most one caller gets it. */
    Optional<StoredSession> take(String sessionId);

    /** A node died: its live sessions' records get {@code graceMs} from now. Returns how many. */
    int nodeDied(String nodeId, long graceMs);

    /** Records held (a leak check for the in-memory store; clustered, 0). */
    int count();
}
