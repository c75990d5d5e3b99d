package io.tickroom.server.thread;

import org.slf4j.LoggerFactory;

/**
 * What the node does with an {@link Error} that escaped one of its threads (out of memory, stack
 * overflow, a linkage error, an assertion in game code that the tick loop did not contain): the
 * process may be unsound, so the default {@link #HALT} logs one line and halts the JVM with
 * {@link #EXIT_STATUS} for its supervisor to restart it, without running shutdown hooks (a drain
 * on a broken heap could hang). Called on the thread the error escaped from; in-process tests
 * inject a handler that records instead, and the thread then goes on (tick threads) or ends
 * (pool threads, which their pool replaces).
 */
@FunctionalInterface
public interface FatalErrorHandler {
    /** {@code EX_SOFTWARE}: the status a supervisor sees after {@link #HALT}. */
    int EXIT_STATUS = 70;

    void fatal(Thread thread, Error error);

    /** Logs one line naming the thread, the error and where it was thrown, then halts with {@link #EXIT_STATUS}. */
    FatalErrorHandler HALT = (thread, error) -> {
        try {
            StackTraceElement[] at = error.getStackTrace();
            LoggerFactory.getLogger(FatalErrorHandler.class)
                    .error(
                            "fatal {} on thread {}{}; halting (exit {})",
                            error,
                            thread.getName(),
                            at.length == 0 ? "" : " at " + at[0],
                            EXIT_STATUS);
        } catch (Throwable ignored) {
            // out of memory even for the log line: halt all the same
        } finally {
            Runtime.getRuntime().halt(EXIT_STATUS);
        }
    };

    /** For code that must not halt (tools, benchmarks): logs the error with its stack and lets it go on. */
    FatalErrorHandler LOG = (thread, error) ->
            LoggerFactory.getLogger(FatalErrorHandler.class).error("fatal error on thread {}", thread.getName(), error);
}
