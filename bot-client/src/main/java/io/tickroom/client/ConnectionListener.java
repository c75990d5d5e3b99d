package io.tickroom.client;

/** The connection's life, told to the application. Called on runtime threads; must not block. */
public interface ConnectionListener {
    /** The connection closed unexpectedly (code 1006 when it simply died). */
    default void disconnected(int code, String reason) {
    }

    /** Reconnect attempt {@code attempt} starts after {@code delayMs}. */
    default void reconnecting(int attempt, long delayMs) {
    }

    /** Back: a new welcome arrived and queued sends were flushed. */
    default void reconnected(int attempts) {
    }

    /** Back in the same session: memberships kept, {@code replayed} missed pushes delivered once, in order. */
    default void resumed(String sessionId, int replayed) {
    }

    /**
     * Back, but as a new session: the old one could not be resumed ({@code reason} starts with
     * "expired", "unknown" or "gap"). Requests in flight at the drop failed; take state afresh.
     */
    default void sessionExpired(String reason) {
    }

    /** No more attempts: the backoff is exhausted or the server refused us for good. */
    default void gaveUp(String reason) {
    }
}
