package io.tickroom.client;

import io.tickroom.protocol.v1.ResumeFailedReason;

/** The connection's life, told to the application. Called on runtime threads; must not block. */
public interface ConnectionListener {
    /** The connection closed unexpectedly (code 1006 when it simply died). */
    default void disconnected(int code, String reason) {}

    /** Reconnect attempt {@code attempt} starts after {@code delayMs}. */
    default void reconnecting(int attempt, long delayMs) {}

    /** Back: a new welcome arrived and queued sends were flushed. */
    default void reconnected(int attempts) {}

    /** Back in the same session: memberships kept, {@code replayed} missed pushes delivered once, in order. */
    default void resumed(String sessionId, int replayed) {}

    /**
     * Back, but as a new session: the old one could not be resumed (the server's message, which
     * starts with "expired", "unknown" or "gap"; the typed reason comes with
     * {@link #sessionExpired(ResumeFailedReason, String)}). Requests in flight at the drop failed;
     * take state afresh.
     */
    default void sessionExpired(String reason) {}

    /**
     * Back, but as a new session, and why: {@code RESUME_EXPIRED} (past the grace, closed, or
     * resumed already), {@code RESUME_GAP} (missed pushes no longer kept), {@code RESUME_UNKNOWN};
     * {@code RESUME_FAILED_REASON_UNSPECIFIED} when the resume got no answer at all. By default
     * it calls {@link #sessionExpired(String)} with the message.
     */
    default void sessionExpired(ResumeFailedReason reason, String message) {
        sessionExpired(message);
    }

    /** No more attempts: the backoff is exhausted or the server refused us for good. */
    default void gaveUp(String reason) {}
}
