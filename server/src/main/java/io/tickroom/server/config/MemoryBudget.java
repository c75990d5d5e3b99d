package io.tickroom.server.config;

/**
 * A node's worst-case heap as a formula of its limits: the README's "Memory" section, in code,
 * so that tests hold the node to it. Every term is a bound the node enforces in bytes or counts;
 * none depends on what clients choose to send beyond those limits.
 *
 * <pre>
 *   heap ≤ base
 *        + C × (Q + W + F + O)        connections   (C --max-connections, Q --outbound-queue-bytes,
 *                                                    W --resume-record-bytes, F --max-frame-bytes,
 *                                                    O the fixed cost of one connection)
 *        + R                          resume store   (single node: --resume-store-bytes; clustered: in Redis)
 *        + (L + 2C) × D × P           replay log     (single node: streams × --replay-depth × largest push)
 *        + L × (512 + M × 256)        lobby directory (L --max-lobbies, M --max-lobby-players)
 *        + matches × game state       game-defined   (at most --max-matches)
 * </pre>
 * Called by tests and the README's example; pure arithmetic, any thread.
 */
public final class MemoryBudget {
    /**
     * What one connection costs beyond its budgets: Jetty's endpoint, parser and buffers, the
     * session, its lane, limiters and room set. Measured at about 12 KiB for an idle session
     * (heap after GC, 1,000 of them); 64 KiB leaves room for Jetty's read and write buffers
     * while the connection is busy.
     */
    public static final long CONNECTION_OVERHEAD_BYTES = 64 * 1024;
    /** Per lobby in the single-node directory: the snapshot, its indexes, per member on top. */
    static final long LOBBY_BYTES = 512;

    static final long LOBBY_MEMBER_BYTES = 256;

    private MemoryBudget() {}

    /** Q + W + F + O: the most one connection can hold, whatever its client does. */
    public static long perConnectionBytes(ServerConfig c) {
        return c.net().outboundQueueBytes()
                + c.session().resumeRecordBytes()
                + c.net().maxFrameBytes()
                + CONNECTION_OVERHEAD_BYTES;
    }

    /** C × (Q + W + F + O). */
    public static long connectionsBytes(ServerConfig c) {
        return (long) c.net().maxConnections() * perConnectionBytes(c);
    }

    /** R: the dropped sessions' records (single node); clustered they live in Redis. */
    public static long resumeStoreBytes(ServerConfig c) {
        return c.cluster().clustered() ? 0 : c.session().resumeStoreBytes();
    }

    /** The largest reliable push: a chat line of the longest text, or the state of the largest lobby. */
    public static long largestPushBytes(ServerConfig c) {
        return Math.max(4L * c.limits().maxChatChars(), (long) c.lobby().maxPlayers() * 200) + 256;
    }

    /** (L + 2C) × D × P: lobby streams and user streams (online, or within their grace). */
    public static long replayLogBytes(ServerConfig c) {
        if (c.cluster().clustered()) {
            return 0;
        }
        long streams = c.lobby().maxLobbies() + 2L * c.net().maxConnections();
        return streams * c.session().replayDepth() * largestPushBytes(c);
    }

    /** L × (512 + M × 256). */
    public static long lobbiesBytes(ServerConfig c) {
        return (long) c.lobby().maxLobbies() * (LOBBY_BYTES + (long) c.lobby().maxPlayers() * LOBBY_MEMBER_BYTES);
    }

    /** Every term but the base and the games' own state. */
    public static long worstCaseBytes(ServerConfig c) {
        return connectionsBytes(c) + resumeStoreBytes(c) + replayLogBytes(c) + lobbiesBytes(c);
    }
}
