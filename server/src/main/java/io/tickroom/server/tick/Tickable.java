package io.tickroom.server.tick;

/**
 * Something a tick thread runs on a fixed timestep (a match). All calls come from the one tick
 * thread that owns it, for its whole life, so an implementation needs no locks for its own state.
 */
public interface Tickable {
    /** Nanoseconds between ticks; fixed for the tickable's life. */
    long tickIntervalNs();

    /**
     * Runs tick number {@code tick} (0, 1, 2, ...; skipped numbers never run). {@code nowNs} is
     * the time the tick actually started. A tickable must not throw; if it does, the loop counts
     * it, calls {@link #failed}, and removes it.
     */
    void tick(long tick, long nowNs);

    /** True once the tickable is done; the loop removes it after the current tick. */
    boolean isFinished();

    /** The tickable threw from {@link #tick}; it is removed after this call. */
    void failed(Throwable error, long nowNs);
}
