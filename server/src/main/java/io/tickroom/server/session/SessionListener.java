package io.tickroom.server.session;

/**
 * Told when a session opens (after its welcome is queued) and when it is gone. Called on the
 * Jetty thread of that session; implementations must not block.
 */
public interface SessionListener {
    default void opened(ClientSession session) {
    }

    default void closed(ClientSession session) {
    }
}
