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

    /** No more attempts: the backoff is exhausted or the server refused us for good. */
    default void gaveUp(String reason) {
    }
}
