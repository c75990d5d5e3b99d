package io.tickroom.server.session;

/**
 * Told when a session opens (after its welcome is queued, before any of its requests run) and
 * when it is gone (after all of them). Called on the session's lane, so a listener may wait on
 * Redis; it must not wait on anything a lane thread could be needed for.
 */
public interface SessionListener {
    default void opened(ClientSession session) {}

    default void closed(ClientSession session) {}
}
