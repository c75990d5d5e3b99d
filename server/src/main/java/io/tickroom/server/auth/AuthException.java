package io.tickroom.server.auth;

/** A token was refused; the message is safe to show the client. */
public final class AuthException extends Exception {
    public AuthException(String message) {
        super(message, null, false, false);
    }
}
