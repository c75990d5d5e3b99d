package io.tickroom.server.thread;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the node's threads: daemon threads named {@code tickroom-<role>-<node id>} (pools add
 * {@code -1}, {@code -2}, ...) whose uncaught-exception handler sends an {@link Error} to the
 * node's {@link FatalErrorHandler} (a {@link RuntimeException} that ends a thread is only logged:
 * the code it escaped from contains its own failures). Built once by the composition root and
 * handed to every component that starts threads; any thread may use it.
 *
 * <p>Executors capture what their tasks throw in the task's future, where no uncaught-exception
 * handler sees it: a periodic task wraps itself in {@link #escalating} so that an {@code Error}
 * still reaches the handler.
 */
public final class NodeThreads {
    private final String nodeId;
    private final FatalErrorHandler onFatal;
    private final Thread.UncaughtExceptionHandler uncaught;

    public NodeThreads(String nodeId, FatalErrorHandler onFatal) {
        this.nodeId = nodeId;
        this.onFatal = onFatal;
        this.uncaught = (t, e) -> {
            if (e instanceof Error error) {
                onFatal.fatal(t, error);
            } else {
                org.slf4j.LoggerFactory.getLogger(NodeThreads.class).error("thread {} ended by", t.getName(), e);
            }
        };
    }

    /** Threads for tools and tests that have no node around them: errors are logged, nothing halts. */
    public static NodeThreads logging(String nodeId) {
        return new NodeThreads(nodeId, FatalErrorHandler.LOG);
    }

    /** One thread of {@code role} (not started). */
    public Thread newThread(String role, Runnable body) {
        Thread t = new Thread(body, "tickroom-" + role + "-" + nodeId);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler(uncaught);
        return t;
    }

    /** Gives a thread made elsewhere (Jetty's pool) the node's uncaught-exception handler; returns it. */
    public Thread adopt(Thread t) {
        t.setUncaughtExceptionHandler(uncaught);
        return t;
    }

    /** A factory for one executor's threads, numbered from 1. */
    public ThreadFactory factory(String role) {
        AtomicInteger n = new AtomicInteger();
        return r -> newThread(role, r, n.incrementAndGet());
    }

    /** A factory for a single-threaded executor: the thread is named like {@link #newThread}. */
    public ThreadFactory single(String role) {
        return r -> newThread(role, r);
    }

    private Thread newThread(String role, Runnable body, int n) {
        Thread t = newThread(role, body);
        t.setName(t.getName() + "-" + n);
        return t;
    }

    /** Hands an error to the fatal-error handler on the current thread (the tick scheduler's hook). */
    public void fatal(Error error) {
        onFatal.fatal(Thread.currentThread(), error);
    }

    /**
     * {@code task}, except that an {@link Error} it throws goes to the current thread's
     * uncaught-exception handler (on our threads: the fatal-error handler) before it propagates
     * into the executor's future. For periodic executor tasks.
     */
    public static Runnable escalating(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Error e) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
                throw e;
            }
        };
    }
}
