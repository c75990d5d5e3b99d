package io.tickroom.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** One WebSocket connection as the client sees it; Jetty in production, a fake in unit tests. */
public interface Transport {
    void send(ByteBuffer frame);

    void close(int code, String reason);

    /** Drops the connection without a close handshake (tests and reconnect storms). */
    void abort();

    interface Listener {
        /** The connection is up; called before any frame arrives on it. */
        void onOpen(Transport transport);

        void onFrame(ByteBuffer frame);

        void onClose(int code, String reason);
    }

    /** Opens connections. */
    interface Connector {
        /**
         * Connects; fails with {@link HandshakeRejectedException} when the server refuses the
         * upgrade with an HTTP status.
         */
        CompletableFuture<Transport> connect(URI uri, String token, boolean tokenInQuery, Listener listener);
    }

    /** The server refused the upgrade (401, 403, 429, 503 ...). */
    final class HandshakeRejectedException extends RuntimeException {
        private final int status;

        public HandshakeRejectedException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
