package io.tickroom.server.tick;

/**
 * One tickable on a loop: its grid ({@code startNs + next × periodNs}), its next deadline as the
 * heap key, and its counters. Owned by the loop's thread.
 */
final class Scheduled {
    final Tickable tickable;
    final TickStats stats = new TickStats();
    long periodNs;
    long startNs;
    /** The number of the next tick to run; {@code deadlineNs} is always its deadline. */
    long next;

    long deadlineNs;
    /** Insertion order into the heap: among equal deadlines the earlier insert runs first. */
    long seq;

    boolean removed;

    Scheduled(Tickable tickable) {
        this.tickable = tickable;
    }

    /** Starts the grid at {@code startNs}: tick 0 is due then (on the loop's thread). */
    void start(long startNs, long periodNs) {
        this.periodNs = periodNs;
        this.startNs = startNs;
        this.next = 0;
        this.deadlineNs = startNs;
    }

    /** Moves the grid on by {@code ticks} tick numbers (run or skipped). */
    void advance(long ticks) {
        next += ticks;
        deadlineNs = startNs + next * periodNs;
    }
}
