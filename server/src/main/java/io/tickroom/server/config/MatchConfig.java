package io.tickroom.server.config;

/**
 * Matches and the tick scheduler.
 *
 * @param tickThreads       threads that run matches (default: one per core, at most 8)
 * @param maxCatchUpTicks   ticks a late match runs back to back before the rest are skipped
 * @param maxMatches        matches this node runs at once; past it a start gets UNAVAILABLE
 *                          (policy: refuse new)
 * @param maxQueuedPerMode  players waiting in one mode's quick-match queue; past it UNAVAILABLE
 * @param drainMatchLimitMs on a drain (SIGTERM, admin), how long running matches may finish
 *                          before the node stops anyway (policy past it: they end with the node)
 */
public record MatchConfig(
        int tickThreads, int maxCatchUpTicks, int maxMatches, int maxQueuedPerMode, long drainMatchLimitMs) {
    public static final int MAX_TICK_THREADS = 8;
    /** What {@code --tick-threads} says for {@link #defaultThreads()}: one per core, at most {@value #MAX_TICK_THREADS}. */
    public static final int TICK_THREADS_PER_CORE = 0;

    public static final int DEFAULT_MAX_CATCH_UP_TICKS = 3;
    public static final int DEFAULT_MAX_MATCHES = 10_000;
    public static final int DEFAULT_MAX_QUEUED_PER_MODE = 10_000;
    public static final long DEFAULT_DRAIN_MATCH_LIMIT_MS = 120_000;

    public MatchConfig {
        ConfigException.require(
                tickThreads >= 1 && tickThreads <= 64, "--tick-threads", "must be 1..64, was " + tickThreads);
        ConfigException.require(
                maxCatchUpTicks >= 1 && maxCatchUpTicks <= 100, "--max-catch-up-ticks", "must be 1..100");
        ConfigException.require(maxMatches >= 1, "--max-matches", "must be >= 1");
        ConfigException.require(maxQueuedPerMode >= 1, "--max-queued-per-mode", "must be >= 1");
        ConfigException.require(drainMatchLimitMs >= 0, "--drain-match-limit-ms", "must be >= 0");
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), MAX_TICK_THREADS));
    }

    public static MatchConfig defaults() {
        return new MatchConfig(
                defaultThreads(),
                DEFAULT_MAX_CATCH_UP_TICKS,
                DEFAULT_MAX_MATCHES,
                DEFAULT_MAX_QUEUED_PER_MODE,
                DEFAULT_DRAIN_MATCH_LIMIT_MS);
    }
}
