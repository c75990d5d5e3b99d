package io.tickroom.client;

/** Time and delayed tasks for the client; tests use a fake they advance by hand. */
public interface Timer {
    long nowMs();

    /** Runs {@code task} after {@code delayMs}; the result cancels it. */
    Cancellable schedule(long delayMs, Runnable task);

    interface Cancellable {
        void cancel();
    }
}
