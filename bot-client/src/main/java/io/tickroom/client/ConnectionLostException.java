package io.tickroom.client;

/**
 * The connection dropped after a request was sent and before it was answered: whether the server
 * applied it is unknown, so the client does not resend it on its own.
 */
public final class ConnectionLostException extends RuntimeException {
    public ConnectionLostException(String message) {
        super(message, null, false, false);
    }
}
