package io.tickroom.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that has no event to wait on (a count reaching zero on the server),
 * checking it often, and fails with a description when the deadline passes. Not a sleep standing
 * in for synchronisation: it returns the moment the condition holds.
 */
public final class Await {
    private Await() {}

    public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object monitor = new Object();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(failure.get());
            }
            synchronized (monitor) {
                monitor.wait(5);
            }
        }
    }
}
