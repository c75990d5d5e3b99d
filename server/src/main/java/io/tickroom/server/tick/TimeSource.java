package io.tickroom.server.tick;

/**
 * Where time comes from. Production uses {@link #SYSTEM}; tests inject a fake they advance by
 * hand, so nothing that depends on time ever needs a sleep to test.
 */
public interface TimeSource {
    /** Monotonic nanoseconds, for durations and deadlines. */
    long nanoTime();

    /** Wall-clock epoch milliseconds, for timestamps on the wire and token expiry. */
    long epochMillis();

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }
    };
}
