package io.tickroom.server.session;

import java.nio.ByteBuffer;

/**
 * The socket as the outbound queue sees it; {@code net} implements it over a Jetty session, the
 * benchmarks over a counter. Implementations must not block.
 */
public interface FrameSink {
    /**
     * Writes one binary frame; {@code done} is called exactly once, possibly on another thread.
     * The frame is shared (one broadcast's recipients get the same buffer): the sink reads it
     * without moving its position or limit, and may keep reading it until {@code done}.
     */
    void send(ByteBuffer frame, WriteCallback done);

    /** Starts a close handshake with the given code and reason. */
    void close(int code, String reason);

    /** Drops the connection without a handshake (a peer that does not read cannot get one). */
    void abort();

    interface WriteCallback {
        void written(Throwable failureOrNull);
    }
}
