package io.tickroom.server.net;

/**
 * A refused upgrade: the HTTP status, a reason the client can read in the body, and how many
 * seconds it should wait before trying again ({@code Retry-After}; 0: no header).
 */
final class HandshakeRejection extends Exception {
    final int status;
    final int retryAfterSeconds;

    HandshakeRejection(int status, String reason) {
        this(status, reason, status == 429 ? 1 : 0);
    }

    HandshakeRejection(int status, String reason, int retryAfterSeconds) {
        super(reason, null, false, false);
        this.status = status;
        this.retryAfterSeconds = retryAfterSeconds;
    }
}
