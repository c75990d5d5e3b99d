package io.tickroom.server.config;

/**
 * What a session may leave behind and who may open one.
 *
 * @param resumeGraceMs          how long a dropped session can be resumed (on any node) and its
 *                               lobby seat is held; 0 turns resume off
 * @param replayDepth            reliable pushes kept per stream for resume (policy past it: the
 *                               oldest are dropped; a resume that needs them fails with "gap")
 * @param answerWindow           recent answers a session keeps so that a request retried after a
 *                               resume is answered again instead of applied twice (oldest dropped)
 * @param resumeHoldMs           how long a connection that announced a resume ({@code ?resume=1})
 *                               holds its pushes while waiting for its first request
 * @param maxSessionsPerUser     sessions of one user on one node; past it the handshake is refused
 *                               with 429 (policy: refuse the newest, the open ones stay)
 * @param maxConnectionsPerIp    open connections from one address on one node; past it 429
 * @param handshakesPerSecondPerIp sustained upgrade attempts per address (token bucket); past it 429
 * @param handshakeBurstPerIp    bucket size of the handshake limiter
 * @param maxTrackedAddresses    addresses the handshake limiter remembers at once; past it a new
 *                               address is refused with 429 until idle ones are forgotten (policy: refuse new)
 * @param resumeStoreBytes       single node: bytes the dropped sessions' resume records may hold
 *                               together; past it the oldest records go (those sessions can no longer
 *                               be resumed: "expired"). Clustered the records live in Redis, each
 *                               within {@code resumeRecordBytes}
 * @param resumeRecordBytes      bytes of recent answers one session keeps for retried requests, live
 *                               and in its resume record (oldest answers forgotten past it); an
 *                               answer bigger than a quarter of it is not kept at all: a retry of
 *                               that request after a resume is answered {@code RESUME_FAILED} "gap"
 */
public record SessionConfig(
        long resumeGraceMs,
        int replayDepth,
        int answerWindow,
        long resumeHoldMs,
        int maxSessionsPerUser,
        int maxConnectionsPerIp,
        int handshakesPerSecondPerIp,
        int handshakeBurstPerIp,
        int maxTrackedAddresses,
        long resumeStoreBytes,
        long resumeRecordBytes) {

    public static final long DEFAULT_RESUME_STORE_BYTES = 64L << 20;
    public static final long DEFAULT_RESUME_RECORD_BYTES = 16 << 10;
    public static final long DEFAULT_RESUME_GRACE_MS = 120_000;
    public static final int DEFAULT_REPLAY_DEPTH = 256;
    public static final int DEFAULT_ANSWER_WINDOW = 64;
    public static final long DEFAULT_RESUME_HOLD_MS = 2_000;
    public static final int DEFAULT_MAX_SESSIONS_PER_USER = 8;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 1_000;
    public static final int DEFAULT_HANDSHAKES_PER_SECOND_PER_IP = 50;
    public static final int DEFAULT_HANDSHAKE_BURST_PER_IP = 200;
    public static final int DEFAULT_MAX_TRACKED_ADDRESSES = 100_000;

    public SessionConfig {
        ConfigException.require(
                resumeGraceMs >= 0 && resumeGraceMs <= 3_600_000, "--resume-grace-ms", "must be 0..3600000");
        ConfigException.require(replayDepth >= 1 && replayDepth <= 10_000, "--replay-depth", "must be 1..10000");
        ConfigException.require(answerWindow >= 0 && answerWindow <= 1_000, "--answer-window", "must be 0..1000");
        ConfigException.require(resumeHoldMs >= 0 && resumeHoldMs <= 10_000, "--resume-hold-ms", "must be 0..10000");
        ConfigException.require(maxSessionsPerUser >= 1, "--max-sessions-per-user", "must be >= 1");
        ConfigException.require(maxConnectionsPerIp >= 1, "--max-connections-per-ip", "must be >= 1");
        ConfigException.require(handshakesPerSecondPerIp >= 1, "--handshakes-per-second-per-ip", "must be >= 1");
        ConfigException.require(handshakeBurstPerIp >= 1, "--handshake-burst-per-ip", "must be >= 1");
        ConfigException.require(maxTrackedAddresses >= 1, "--max-tracked-addresses", "must be >= 1");
        ConfigException.require(
                resumeRecordBytes >= 1024 && resumeRecordBytes <= 16L << 20,
                "--resume-record-bytes",
                "must be 1024..16777216, was " + resumeRecordBytes);
        ConfigException.require(
                resumeStoreBytes >= resumeRecordBytes,
                "--resume-store-bytes",
                "must be at least --resume-record-bytes (" + resumeRecordBytes + "), was " + resumeStoreBytes);
    }

    /** With the default resume byte budgets. */
    public SessionConfig(
            long resumeGraceMs,
            int replayDepth,
            int answerWindow,
            long resumeHoldMs,
            int maxSessionsPerUser,
            int maxConnectionsPerIp,
            int handshakesPerSecondPerIp,
            int handshakeBurstPerIp,
            int maxTrackedAddresses) {
        this(
                resumeGraceMs,
                replayDepth,
                answerWindow,
                resumeHoldMs,
                maxSessionsPerUser,
                maxConnectionsPerIp,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp,
                maxTrackedAddresses,
                DEFAULT_RESUME_STORE_BYTES,
                DEFAULT_RESUME_RECORD_BYTES);
    }

    /** The largest single answer kept for a retry: a quarter of the record's budget. */
    public long maxKeptAnswerBytes() {
        return resumeRecordBytes / 4;
    }

    public static SessionConfig defaults() {
        return new SessionConfig(
                DEFAULT_RESUME_GRACE_MS,
                DEFAULT_REPLAY_DEPTH,
                DEFAULT_ANSWER_WINDOW,
                DEFAULT_RESUME_HOLD_MS,
                DEFAULT_MAX_SESSIONS_PER_USER,
                DEFAULT_MAX_CONNECTIONS_PER_IP,
                DEFAULT_HANDSHAKES_PER_SECOND_PER_IP,
                DEFAULT_HANDSHAKE_BURST_PER_IP,
                DEFAULT_MAX_TRACKED_ADDRESSES);
    }

    public SessionConfig withResumeGraceMs(long ms) {
        return new SessionConfig(
                ms,
                replayDepth,
                answerWindow,
                resumeHoldMs,
                maxSessionsPerUser,
                maxConnectionsPerIp,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp,
                maxTrackedAddresses,
                resumeStoreBytes,
                resumeRecordBytes);
    }

    public SessionConfig withResumeBytes(long storeBytes, long recordBytes) {
        return new SessionConfig(
                resumeGraceMs,
                replayDepth,
                answerWindow,
                resumeHoldMs,
                maxSessionsPerUser,
                maxConnectionsPerIp,
                handshakesPerSecondPerIp,
                handshakeBurstPerIp,
                maxTrackedAddresses,
                storeBytes,
                recordBytes);
    }
}
