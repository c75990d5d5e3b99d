package io.tickroom.server.resume;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.internal.v1.CloseSession;
import io.tickroom.protocol.internal.v1.CloseSessionAnswer;
import io.tickroom.protocol.internal.v1.StoredAnswer;
import io.tickroom.protocol.internal.v1.StoredSession;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Resume;
import io.tickroom.protocol.v1.ResumeFailedReason;
import io.tickroom.protocol.v1.Resumed;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.SignedTokens;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.RecentAnswers;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Resume: a client that dropped comes back within the grace, on any node, and continues its
 * session. The welcome carries a signed resume token (session id and user); the client sends
 * {@code resume { token, last_seqs }} as its first request on a new connection, announced with
 * {@code ?resume=1} so that nothing is pushed before the replay.
 *
 * <p>What comes back: the identity (the answer names the session continued, and this connection
 * takes over its recent answers, so a retried request is answered, not applied, again); the
 * memberships (lobby seats belong to the user and were held through the grace; the new
 * connection joined their rooms when it opened); then every reliable push after the client's
 * last seqs, from the replay log, in order, exactly once (held live pushes the replay covers are
 * dropped, later duplicates too). Refusals are {@code RESUME_FAILED} with a
 * {@code ResumeFailedReason} (UNKNOWN, EXPIRED, GAP; the message starts with "unknown", "expired"
 * or "gap"); the connection then goes on as the fresh session it was welcomed as. A session
 * record exists while the session lives (clustered, so a crashed node's sessions can be resumed
 * elsewhere), stays for the grace after a drop, and is gone after a deliberate close; a resume
 * takes it, so two connections cannot resume the same session.
 *
 * <p>Answers that come after the drop. A request answered off its lane (a remote match
 * placement, a match claim) may be answered after its session's close wrote the record. The
 * record then names those requests ({@code pending_request_ids}), and this node keeps the
 * dropped session's answers ({@value #MAX_DROPPED} sessions at most, for the grace; policy past
 * it: the oldest is forgotten, a retry of its late answers is applied again). Whatever resumes
 * the session asks its node ({@code close-session}) for them and waits, at most
 * {@value #LATE_ANSWERS_WAIT_MS} ms on the node and {@value #ASK_TIMEOUT_MS} ms in all (longer
 * than a remote placement may take), on the resuming lane; a node that is gone costs that wait.
 */
public final class ResumeService implements SessionListener {
    /** How long a node waits for a dropped session's answers in flight before it hands over what it has. */
    static final long LATE_ANSWERS_WAIT_MS = 2_500;
    /** How long a resume waits for the answers of its session's node. */
    static final long ASK_TIMEOUT_MS = LATE_ANSWERS_WAIT_MS + 500;
    /** Dropped sessions with answers in flight whose answers this node keeps for a resume. */
    static final int MAX_DROPPED = 1_024;

    static final String RESUMED_ELSEWHERE = "resumed by another connection";

    private final String nodeId;
    private final SessionConfig config;
    private final SignedTokens tokens;
    private final ResumeStore store;
    private final SessionRegistry registry;
    private final Rooms rooms;
    private final Streams streams;
    private final LobbyDirectory lobbies;
    private final MatchDirectory matches;
    private final TimeSource time;
    private final LongAdder resumed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final Consumer<ClientSession> afterResume;
    private final NodeCalls calls;
    /** Dropped sessions whose answers were in flight at the drop, oldest first: their answers, until the grace ends. */
    private final LinkedHashMap<String, Dropped> dropped = new LinkedHashMap<>();

    private record Dropped(RecentAnswers answers, long untilMs) {}

    /**
     * @param calls       serves {@code close-session} and asks it of other nodes: a session resumed
     *                    elsewhere whose old connection this node still thinks open (half-open, not
     *                    yet timed out) gets that connection closed, so it cannot linger or write a
     *                    second record; and a dropped session's answers sent after its record was
     *                    written are handed over. Single node the calls stay in the process.
     * @param afterResume runs for each resumed session once its replay is queued (the match
     *                    service rebinds a seat)
     */
    public ResumeService(
            String nodeId,
            String secret,
            SessionConfig config,
            ResumeStore store,
            SessionRegistry registry,
            Rooms rooms,
            Streams streams,
            LobbyDirectory lobbies,
            MatchDirectory matches,
            TimeSource time,
            NodeCalls calls,
            Consumer<ClientSession> afterResume) {
        this.nodeId = nodeId;
        this.config = config;
        this.tokens = new SignedTokens(secret, "resume token");
        this.store = store;
        this.registry = registry;
        this.rooms = rooms;
        this.streams = streams;
        this.lobbies = lobbies;
        this.matches = matches;
        this.time = time;
        this.calls = calls;
        this.afterResume = afterResume;
        calls.serveLater("close-session", this::closeSession);
    }

    /** On the calls thread: never waits; the answer completes once the session's answers are in. */
    private CompletableFuture<byte[]> closeSession(byte[] query) {
        String sessionId;
        try {
            sessionId = CloseSession.parseFrom(query).getSessionId();
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.completedFuture(null);
        }
        ClientSession old = registry.get(sessionId);
        if (old != null) {
            closeResumed(old);
            return CompletableFuture.completedFuture(CloseSessionAnswer.newBuilder()
                    .setFound(true)
                    .addAllAnswers(old.answers().stored())
                    .build()
                    .toByteArray());
        }
        Dropped d = takeDropped(sessionId);
        if (d == null) {
            return CompletableFuture.completedFuture(
                    CloseSessionAnswer.getDefaultInstance().toByteArray());
        }
        return d.answers()
                .settled()
                .completeOnTimeout(null, LATE_ANSWERS_WAIT_MS, TimeUnit.MILLISECONDS)
                .thenApply(v -> CloseSessionAnswer.newBuilder()
                        .setFound(true)
                        .addAllAnswers(d.answers().stored())
                        .build()
                        .toByteArray());
    }

    /** A connection whose session another connection resumed: no record left, closed on purpose. */
    private void closeResumed(ClientSession old) {
        store.ended(old.id(), nodeId);
        old.closeAt(CloseCodes.NORMAL, RESUMED_ELSEWHERE, time.nanoTime());
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.RESUME, this::resume);
    }

    /** The token the welcome carries. */
    public String token(ClientSession s) {
        return tokens.sign(List.of(s.id(), s.userId()));
    }

    private boolean applies(ClientSession s) {
        return s.namespace() == Namespace.PLAY && config.resumeGraceMs() > 0;
    }

    @Override
    public void opened(ClientSession s) {
        if (applies(s)) {
            store.opened(StoredSession.newBuilder()
                    .setSessionId(s.id())
                    .setUserId(s.userId())
                    .setNodeId(nodeId)
                    .build());
        }
    }

    /**
     * On the session's lane, last: a dropped session's record, with its answers and the requests
     * still waiting for theirs (kept here for whoever resumes it); none after a deliberate close.
     */
    @Override
    public void closed(ClientSession s) {
        if (!applies(s)) {
            return;
        }
        if (s.resumable()) {
            List<Integer> waiting = s.answers().pendingIds();
            if (!waiting.isEmpty()) {
                keepDropped(s.id(), s.answers());
            }
            store.detached(
                    StoredSession.newBuilder()
                            .setSessionId(s.id())
                            .setUserId(s.userId())
                            .setNodeId(nodeId)
                            .setEndedAtMs(time.epochMillis())
                            .addAllAnswers(s.answers().stored())
                            .addAllPendingRequestIds(waiting)
                            .build(),
                    config.resumeGraceMs());
        } else {
            store.ended(s.id(), nodeId);
        }
    }

    private synchronized void keepDropped(String sessionId, RecentAnswers answers) {
        long now = time.epochMillis();
        for (Iterator<Dropped> it = dropped.values().iterator(); it.hasNext(); ) {
            if (it.next().untilMs() > now) {
                break;
            }
            it.remove(); // in insertion order, which is expiry order (one grace for all)
        }
        if (dropped.size() >= MAX_DROPPED) {
            dropped.remove(dropped.keySet().iterator().next());
        }
        dropped.put(sessionId, new Dropped(answers, now + config.resumeGraceMs()));
    }

    private synchronized Dropped takeDropped(String sessionId) {
        Dropped d = dropped.remove(sessionId);
        return d == null || d.untilMs() <= time.epochMillis() ? null : d;
    }

    /** Dropped sessions whose answers this node keeps for a resume (expired ones count until the next drop). */
    public synchronized int droppedKept() {
        return dropped.size();
    }

    void resume(Request r) {
        ClientSession s = r.session();
        Resume q = r.frame().getResume();
        try {
            if (r.id() == 0) {
                refuse(
                        r,
                        ResumeFailedReason.RESUME_UNKNOWN,
                        "unknown: resume needs a request id (its answer leads the replay)");
                return;
            }
            if (!s.resumedFrom().isEmpty()) {
                refuse(
                        r,
                        ResumeFailedReason.RESUME_UNKNOWN,
                        "unknown: this connection already resumed session " + s.resumedFrom());
                return;
            }
            List<String> f;
            try {
                f = tokens.verify(q.getResumeToken(), 2);
            } catch (SignedTokens.InvalidTokenException e) {
                refuse(r, ResumeFailedReason.RESUME_UNKNOWN, "unknown: " + e.getMessage());
                return;
            }
            String previous = f.get(0);
            if (!f.get(1).equals(s.userId()) || previous.equals(s.id())) {
                refuse(
                        r,
                        ResumeFailedReason.RESUME_UNKNOWN,
                        "unknown: the token is not for a previous session of this user");
                return;
            }
            List<StoredAnswer> earlier;
            ClientSession stillOpen = registry.get(previous);
            if (stillOpen != null) {
                // the old connection is half-open here: this one takes over, the old one goes
                earlier = stillOpen.answers().stored();
                closeResumed(stillOpen);
            } else {
                Optional<StoredSession> record = store.take(previous);
                if (record.isEmpty()) {
                    refuse(
                            r,
                            ResumeFailedReason.RESUME_EXPIRED,
                            "expired: session " + previous + " is past its resume grace of "
                                    + config.resumeGraceMs() / 1000 + " s, or was closed, or was already resumed");
                    return;
                }
                earlier = new ArrayList<>(record.get().getAnswersList());
                earlier.addAll(answersFromItsNode(record.get()));
            }
            RecentAnswers answers = RecentAnswers.of(config);
            answers.inherit(earlier);
            s.resumed(previous, answers);
            s.answers().inherit(earlier); // so a second resume still knows them

            List<ByteBuffer> replay = new ArrayList<>();
            Map<String, Long> marks = new HashMap<>();
            List<String> gaps = new ArrayList<>();
            for (RoomId room : rooms.roomsOf(s)) {
                Long last = room.isStream() ? q.getLastSeqsMap().get(room.name()) : null;
                if (last == null) {
                    continue; // the client never saw this stream: the current state (pushed on open) is all it needs
                }
                Streams.Replayed rp = streams.replay(room, last, config.replayDepth());
                if (rp.gap()) {
                    gaps.add(room.name());
                    continue;
                }
                replay.addAll(rp.frames());
                marks.put(room.name(), rp.lastSeq());
            }
            if (!gaps.isEmpty()) {
                refuse(
                        r,
                        ResumeFailedReason.RESUME_GAP,
                        "gap: the pushes after your last seq of " + String.join(", ", gaps)
                                + " are no longer kept; your memberships are back, take their current state");
                return;
            }
            Resumed.Builder answer = Resumed.newBuilder().setSessionId(previous).setReplayed(replay.size());
            lobbies.lobbyOf(s.userId()).ifPresent(answer::setLobbyId);
            matches.matchOf(s.userId()).ifPresent(answer::setMatchId);
            resumed.increment();
            r.replyVia(
                    ServerFrame.newBuilder().setResumed(answer),
                    encoded -> s.outbound().resume(encoded, replay, marks));
            afterResume.accept(s);
        } finally {
            if (!r.isAnswered()) {
                s.outbound().release();
            }
        }
    }

    /**
     * What the session's node still has to say: a live record (its node still holds the session
     * open, half-open, or died) gets that connection closed there, without waiting; a dropped
     * session with answers in flight waits (on this lane, bounded) for its node to hand them over.
     */
    private List<StoredAnswer> answersFromItsNode(StoredSession record) {
        NodeCalls nodeCalls = calls;
        byte[] query = CloseSession.newBuilder()
                .setSessionId(record.getSessionId())
                .build()
                .toByteArray();
        if (record.getEndedAtMs() == 0) {
            if (!record.getNodeId().equals(nodeId)) {
                nodeCalls.askOne(record.getNodeId(), "close-session", query, 1_000);
            }
            return List.of();
        }
        if (record.getPendingRequestIdsCount() == 0) {
            return List.of();
        }
        try {
            byte[] a = nodeCalls
                    .askOne(record.getNodeId(), "close-session", query, ASK_TIMEOUT_MS)
                    .get(ASK_TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
            return a == null ? List.of() : CloseSessionAnswer.parseFrom(a).getAnswersList();
        } catch (InvalidProtocolBufferException
                | java.util.concurrent.ExecutionException
                | java.util.concurrent.TimeoutException e) {
            return List.of(); // its node is gone: retries of those requests are applied again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private void refuse(Request r, ResumeFailedReason reason, String message) {
        failed.increment();
        r.fail(io.tickroom.protocol.v1.Error.newBuilder()
                .setCode(ErrorCode.RESUME_FAILED)
                .setMessage(message)
                .setResumeFailedReason(reason)
                .build());
        r.session().outbound().release();
    }

    public long resumes() {
        return resumed.sum();
    }

    public long failures() {
        return failed.sum();
    }
}
