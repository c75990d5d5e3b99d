package io.tickroom.client;

/** A request's answer did not come within its timeout (time spent queued included). */
public final class RequestTimeoutException extends RuntimeException {
    public RequestTimeoutException(String message) {
        super(message, null, false, false);
    }
}
