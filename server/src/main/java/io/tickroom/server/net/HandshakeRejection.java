package io.tickroom.server.net;

/** A refused upgrade: the HTTP status and a reason the client can read in the body. */
final class HandshakeRejection extends Exception {
    final int status;

    HandshakeRejection(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }
}
