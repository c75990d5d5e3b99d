package io.tickroom.server.session;

/**
 * Serves one kind of request. Called on the session's lane (or, for the dispatcher's inline
 * cases, on the Jetty thread that decoded it, where it must not block), one request of a session
 * at a time, after the session's open and before its close. It answers through {@link Request}
 * exactly once (now or later, from any thread); it may throw {@link ProtocolException} to answer
 * with that error instead.
 */
@FunctionalInterface
public interface RequestHandler {
    void handle(Request request);
}
