package io.tickroom.server;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Where the node is in its life: starting, serving (or degraded: clustered with the bus down),
 * draining, stopping. The life cycle writes it; the handshake, {@code /health} and the console
 * read it, from any thread.
 */
final class NodeState {
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean accepting = new AtomicBoolean();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final BooleanSupplier busUp;

    NodeState(BooleanSupplier busUp) {
        this.busUp = busUp;
    }

    /** Whether new sessions are taken (the handshake answers 503 otherwise, {@code /health} too). */
    boolean accepting() {
        return accepting.get();
    }

    boolean draining() {
        return draining.get();
    }

    boolean stopped() {
        return stopped.get();
    }

    void serving() {
        started.set(true);
        accepting.set(true);
    }

    /** Whether this call began the drain (once, and not after a stop). */
    boolean beginDrain() {
        if (stopped.get() || !draining.compareAndSet(false, true)) {
            return false;
        }
        accepting.set(false);
        return true;
    }

    /** Whether this call began the stop (once). */
    boolean beginStop() {
        if (!stopped.compareAndSet(false, true)) {
            return false;
        }
        accepting.set(false);
        return true;
    }

    /** starting, serving, degraded (clustered, the bus is down), draining or stopping. */
    String status() {
        if (draining.get() && !stopped.get()) {
            return "draining";
        }
        if (!accepting.get()) {
            return started.get() || stopped.get() ? "stopping" : "starting";
        }
        return busUp.getAsBoolean() ? "serving" : "degraded";
    }
}
