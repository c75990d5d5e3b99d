package io.tickroom.server.session;

/**
 * Serves one kind of request. Called on the session's Jetty thread, one request of a session at a
 * time; must not block. It answers through {@link Request} exactly once (now or later, from any
 * thread); it may throw {@link ProtocolException} to answer with that error instead.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(Request request);
}
