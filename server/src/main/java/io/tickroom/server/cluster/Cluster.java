package io.tickroom.server.cluster;

import java.util.function.Supplier;

/**
 * Every port a node shares with the other nodes, from one backend: {@code cluster.memory} (one
 * node, the embedded default) or {@code cluster.redis} (several nodes on one Redis). The
 * composition root picks one and hands its ports to the services, which never ask which one it
 * is: a single node runs the same code paths as a clustered one (its bus reaches only itself,
 * its registry lists only itself).
 *
 * <p>Life cycle: the ports can be called from construction (the services are built on them), but
 * no thread runs before {@link #open}, which starts the backend's own threads (Redis: the bus
 * subscriber connects); {@link #start} registers the node once it knows its URL; {@link #close}
 * comes last, after the services stopped using the ports.
 */
public interface Cluster extends AutoCloseable {

    LobbyDirectory directory();

    MessageBus bus();

    NodeRegistry nodes();

    /** Where users hold lobby state; the node registry tracks it, so this is {@link #nodes()}. */
    Presence presence();

    Sequences sequences();

    ReplayLog replayLog();

    ResumeStore resumeStore();

    MatchDirectory matchDirectory();

    MatchQueue matchQueue();

    /** Starts the backend's threads (Redis: the bus subscriber connects). Called once, by the node's start, first. */
    default void open() {}

    /** Calls this node makes to the shared store on request paths (memory: none, always 0). */
    Stats stats();

    /**
     * Registers this node ({@link NodeRegistry#start}): called once, by the node's start, before
     * it accepts its first session. {@code self} is read on every renewal.
     */
    default void start(Supplier<NodeRegistry.NodeInfo> self, NodeRegistry.DeadNodeHandler onDead) {
        nodes().start(self, onDead);
    }

    /** Leaves the registry and releases connections and threads. Called once, last. */
    @Override
    void close();

    /** Calls to the shared store: how many, their total time, how many failed. Read by the metrics endpoint. */
    interface Stats {
        long calls();

        double totalNanos();

        long failures();
    }
}
