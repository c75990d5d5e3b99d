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

    /** Wall-clock epoch microseconds (the clock of {@link #epochMillis}, finer where it can be). */
    default long epochMicros() {
        return epochMillis() * 1000;
    }

    TimeSource SYSTEM = new TimeSource() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long epochMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public long epochMicros() {
            java.time.Instant now = java.time.Instant.now(); // clock_gettime: microseconds on Linux
            return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
        }
    };
}
