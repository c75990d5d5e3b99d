package io.tickroom.server.cluster;

/** A directory operation refused for a reason the caller maps to its wire error. */
public final class LobbyException extends Exception {
    public enum Reason {
        NOT_FOUND,
        FULL,
        ALREADY_IN,
        FORBIDDEN,
        NOT_MEMBER,
        LIMIT_REACHED,
        NOT_READY,
        UNAVAILABLE,
        /** The request would break a bound of the directory (e.g. more attributes than it keeps). */
        INVALID
    }

    private final Reason reason;

    public LobbyException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
