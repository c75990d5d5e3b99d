package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.MatchQueue;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.cluster.Presence;
import io.tickroom.server.cluster.ReplayLog;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.cluster.Sequences;
import java.util.function.LongSupplier;

/**
 * The embedded single-node cluster: every port in this process's memory, no Redis needed. The
 * bus numbers pushes from these sequences, appends them to this replay log and delivers them to
 * this node; the registry lists this node alone.
 */
public final class MemoryCluster implements Cluster {
    private static final Stats NO_CALLS = new Stats() {
        @Override
        public long calls() {
            return 0;
        }

        @Override
        public double totalNanos() {
            return 0;
        }

        @Override
        public long failures() {
            return 0;
        }
    };

    private final MemoryLobbyDirectory directory;
    private final MemorySequences sequences = new MemorySequences();
    private final MemoryReplayLog replay;
    private final MemoryMessageBus bus;
    private final MemoryNodeRegistry nodes;
    private final MemoryResumeStore resume;
    private final MemoryMatchDirectory matches = new MemoryMatchDirectory();
    private final MemoryMatchQueue queue = new MemoryMatchQueue();

    private MemoryCluster(
            String nodeId,
            int maxLobbies,
            int replayDepth,
            int maxResumeRecords,
            long maxResumeBytes,
            LongSupplier clockMs) {
        this.directory = new MemoryLobbyDirectory(maxLobbies, clockMs);
        this.replay = new MemoryReplayLog(replayDepth);
        this.bus = new MemoryMessageBus(nodeId, sequences, replay);
        this.nodes = new MemoryNodeRegistry(nodeId);
        this.resume = new MemoryResumeStore(maxResumeRecords, maxResumeBytes, clockMs);
    }

    /**
     * A single node's cluster: at most {@code maxLobbies} lobbies, the last {@code replayDepth}
     * pushes of each stream kept for resume, at most {@code maxResumeRecords} dropped sessions
     * resumable at once (past it the oldest goes), time from {@code clockMs}.
     */
    public static Cluster create(
            String nodeId, int maxLobbies, int replayDepth, int maxResumeRecords, LongSupplier clockMs) {
        return new MemoryCluster(nodeId, maxLobbies, replayDepth, maxResumeRecords, Long.MAX_VALUE, clockMs);
    }

    /** Like {@link #create(String, int, int, int, LongSupplier)}, the resume records also bounded to {@code maxResumeBytes} together. */
    public static Cluster create(
            String nodeId,
            int maxLobbies,
            int replayDepth,
            int maxResumeRecords,
            long maxResumeBytes,
            LongSupplier clockMs) {
        return new MemoryCluster(nodeId, maxLobbies, replayDepth, maxResumeRecords, maxResumeBytes, clockMs);
    }

    /** Bytes the resume records hold now (a test of the store's budget). */
    public long resumeBytes() {
        return resume.bytes();
    }

    @Override
    public LobbyDirectory directory() {
        return directory;
    }

    @Override
    public MessageBus bus() {
        return bus;
    }

    @Override
    public NodeRegistry nodes() {
        return nodes;
    }

    @Override
    public Presence presence() {
        return nodes;
    }

    @Override
    public Sequences sequences() {
        return sequences;
    }

    @Override
    public ReplayLog replayLog() {
        return replay;
    }

    @Override
    public ResumeStore resumeStore() {
        return resume;
    }

    @Override
    public MatchDirectory matchDirectory() {
        return matches;
    }

    @Override
    public MatchQueue matchQueue() {
        return queue;
    }

    @Override
    public Stats stats() {
        return NO_CALLS;
    }

    /** The node is stopping: nobody can resume one of its sessions any more. */
    @Override
    public void close() {
        nodes.close();
        bus.close();
        resume.clear();
    }
}
