package io.tickroom.server.cluster;

/**
 * A shared store (Redis) could not be reached. Requests that needed it are answered UNAVAILABLE
 * at once (the composition root maps this type for the dispatcher); nothing waits for it.
 */
public final class ClusterUnavailableException extends RuntimeException {
    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
