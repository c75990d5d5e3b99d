package io.tickroom.server.session;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Principal;

/**
 * One connected client. Identity is fixed at the handshake; the rest is either owned by the
 * session's inbound thread (rate limiters, counters), owned by its lane (open, requests, close:
 * see {@link SessionLanes}) or thread-safe (outbound, answers); its rooms are kept by {@code room.Rooms}. The session is alive until its
 * lane accepts its close ({@link #isAlive}): that is the one notion of "alive" there is.
 */
public final class ClientSession {
    private final String id;
    /** Fixed at the handshake; a {@code refresh_token} may replace it with the same user's newer token. */
    private volatile Principal principal;

    private final Namespace namespace;
    private final String remoteAddress;
    private final Outbound outbound;
    private final FrameSink sink;
    private final TokenBucket requests;
    private final TokenBucket chat;
    private final TokenBucket strikes;
    private int invalidFrames;
    private volatile long lastHeardNs;
    private volatile long closingSinceNs;
    private volatile long connectedAtMs;
    private volatile int closeCode;
    private volatile String closeReason = "";
    private volatile RecentAnswers answers = new RecentAnswers(0);
    /** Request ids answered before this connection (by the session it resumed): retries get those answers. */
    private volatile RecentAnswers inherited;

    private volatile String resumedFrom = "";
    private volatile long authExpiresAtMs;
    private final SessionLanes.Lane lane = new SessionLanes.Lane();

    public ClientSession(
            String id,
            Principal principal,
            Namespace namespace,
            String remoteAddress,
            FrameSink sink,
            Outbound outbound,
            TokenBucket requests,
            TokenBucket chat,
            TokenBucket strikes) {
        this.id = id;
        this.principal = principal;
        this.namespace = namespace;
        this.remoteAddress = remoteAddress;
        this.sink = sink;
        this.outbound = outbound;
        this.requests = requests;
        this.chat = chat;
        this.strikes = strikes;
        this.authExpiresAtMs = principal.expiresAtMs();
    }

    SessionLanes.Lane lane() {
        return lane;
    }

    /**
     * Whether the session is alive: its lane has not accepted its close. Once false it stays
     * false; the close listeners then run after whatever the lane accepted before. Any thread.
     */
    public boolean isAlive() {
        return lane.isAlive();
    }

    /**
     * Runs {@code step} now, on the calling thread, if the session is alive, atomically with
     * respect to its close: the step either happens before the close is accepted (and the close,
     * which runs later, sees it) or not at all. For short in-memory steps that add to the
     * session's state from another thread (a room membership, a match seat); never for anything
     * that can wait. Returns whether it ran.
     */
    public boolean ifAlive(Runnable step) {
        return lane.ifAlive(step);
    }

    /** When the session's authentication runs out (the token's exp, or a refreshed one's). */
    public long authExpiresAtMs() {
        return authExpiresAtMs;
    }

    /** A {@code refresh_token} with a later expiry for the same user. */
    public void renewAuth(long expiresAtMs) {
        this.authExpiresAtMs = expiresAtMs;
    }

    /**
     * A {@code refresh_token} verified {@code renewed} for this session's user: its roles, name
     * and expiry are the session's from now on (a role the new token lacks is gone). On the
     * session's lane.
     */
    public void reauthenticate(Principal renewed) {
        if (!renewed.userId().equals(principal.userId())) {
            throw new IllegalArgumentException("a token for another user");
        }
        this.principal = renewed;
        this.authExpiresAtMs = renewed.expiresAtMs();
    }

    public String id() {
        return id;
    }

    public Principal principal() {
        return principal;
    }

    public String userId() {
        return principal.userId();
    }

    public Namespace namespace() {
        return namespace;
    }

    public String remoteAddress() {
        return remoteAddress;
    }

    /** Keeps this session's recent answers in {@code window} (set once by the gateway). */
    public void keepAnswers(RecentAnswers window) {
        this.answers = window;
    }

    public RecentAnswers answers() {
        return answers;
    }

    /** The answers of the session this connection resumed (null when it resumed none). */
    public RecentAnswers inherited() {
        return inherited;
    }

    /** This connection continues session {@code sessionId}, whose answers it takes over. */
    public void resumed(String sessionId, RecentAnswers previous) {
        this.resumedFrom = sessionId;
        this.inherited = previous;
    }

    /** The session id this connection resumed ("" if none). */
    public String resumedFrom() {
        return resumedFrom;
    }

    /**
     * How the session ended: the code and reason of whoever closed it first (the server's
     * {@link #close}, or the transport when the peer closed or the connection dropped). Later
     * calls change nothing; set before the close listeners run.
     */
    public synchronized void closedWith(int code, String reason) {
        if (closeCode != 0) {
            return;
        }
        this.closeReason = reason == null ? "" : reason;
        this.closeCode = code;
    }

    /**
     * Whether the session may be resumed and its lobby seat held: it dropped (network, idle, slow
     * reader, node going away), rather than being closed on purpose (1000 from the client, a
     * kick) or for misbehaving (text frames, oversized frames, floods, garbage).
     */
    public boolean resumable() {
        int c = closeCode;
        if (c == CloseCodes.NORMAL
                || c == CloseCodes.KICKED
                || c == CloseCodes.UNSUPPORTED_DATA
                || c == CloseCodes.MESSAGE_TOO_BIG) {
            return false;
        }
        if (c == CloseCodes.SERVER_ERROR && CloseCodes.OPEN_FAILED.equals(closeReason)) {
            return false; // it never opened: there is nothing to resume, and no client holds its token
        }
        return c != CloseCodes.POLICY_VIOLATION
                || CloseCodes.SLOW_CONSUMER.equals(closeReason)
                || CloseCodes.WRITE_TIMEOUT.equals(closeReason);
    }

    /** Wall-clock time the session opened (set once by the gateway). */
    public long connectedAtMs() {
        return connectedAtMs;
    }

    public void connectedAt(long epochMs) {
        this.connectedAtMs = epochMs;
    }

    public Outbound outbound() {
        return outbound;
    }

    /** Encodes and queues a frame for this session alone (replies, per-session pushes). */
    public void send(ServerFrame frame) {
        outbound.offer(Frames.encode(frame));
    }

    /**
     * Closes the session with a code and reason the client can read; idempotent, any thread. The
     * session stops being alive at once (its close goes onto its lane, after what the lane had
     * accepted); the socket closes once the frames queued before the close are written.
     */
    public void close(int code, String reason) {
        closeAt(code, reason, outbound.nowNs());
    }

    /**
     * The transport is gone (the peer closed, the connection dropped): the session's close goes
     * onto its lane, if nothing closed it before. Idempotent.
     */
    public void transportClosed(int code, String reason) {
        closedWith(code, reason);
        outbound.shutdown();
        lane.close();
    }

    /** Drops the connection at once (a peer that stopped reading cannot take a close frame). */
    public void abort() {
        lane.close();
        outbound.shutdown();
        sink.abort();
    }

    /** Called by the transport whenever anything arrives from the peer (frames, pongs). */
    public void heardFrom(long nowNs) {
        lastHeardNs = nowNs;
    }

    /** When the peer last sent anything (0 before the first frame). */
    public long lastHeardNs() {
        return lastHeardNs;
    }

    /** Closes with a reason, remembering when, so the housekeeper can drop a peer that never completes it. */
    public void closeAt(int code, String reason, long nowNs) {
        if (isAlive()) {
            closingSinceNs = nowNs;
        }
        closedWith(code, reason);
        outbound.closeAfterFlush(code, reason);
        lane.close();
    }

    public long closingSinceNs() {
        return closingSinceNs;
    }

    /** Whether the session is closing or closed: not {@link #isAlive}. */
    public boolean isClosing() {
        return !isAlive();
    }

    boolean tryRequest(long nowNs) {
        return requests.tryTake(nowNs);
    }

    /** Records one rate-limited request; false when the session has run out of strikes (a flood). */
    boolean strike(long nowNs) {
        return strikes.tryTake(nowNs);
    }

    /** Takes one chat token; called on the session's inbound thread. */
    public boolean tryChat(long nowNs) {
        return chat.tryTake(nowNs);
    }

    int countInvalidFrame() {
        return ++invalidFrames;
    }

    @Override
    public String toString() {
        return "session " + id + " (user " + principal.userId() + ", " + namespace.path() + ")";
    }
}
