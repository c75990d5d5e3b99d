package io.tickroom.server.tick;

/** Emits {@link TickLate} for a tick that started late, when a flight recording wants it. */
final class LateTicks {
    static final long THRESHOLD_NS = 2_000_000;

    /** False once the runtime turned out to lack {@code jdk.jfr} (a trimmed image): never tried again. */
    private static volatile boolean available = true;

    private LateTicks() {}

    /** On the tick thread, for a tick of {@code period} due at {@code deadlineNs}, started at {@code startedNs}. */
    static void emit(long tick, long period, long deadlineNs, long wokeNs, long startedNs) {
        if (!available) {
            return;
        }
        try {
            TickLate e = new TickLate();
            if (e.isEnabled()) {
                e.lateness = startedNs - deadlineNs;
                e.wokeLate = Math.max(0, wokeNs - deadlineNs);
                e.behindOthers = startedNs - Math.max(wokeNs, deadlineNs);
                e.tick = tick;
                e.period = period;
                e.commit();
            }
        } catch (LinkageError noFlightRecorder) {
            available = false;
        }
    }
}
