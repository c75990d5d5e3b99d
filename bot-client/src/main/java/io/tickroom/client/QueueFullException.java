package io.tickroom.client;

/** A send while disconnected found the bounded queue full (policy: reject newest). */
public final class QueueFullException extends RuntimeException {
    public QueueFullException(String message) {
        super(message, null, false, false);
    }
}
