package io.tickroom.server.session;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Resume;
import io.tickroom.protocol.v1.Resumed;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.StoredAnswer;
import io.tickroom.protocol.v1.StoredSession;
import io.tickroom.server.auth.SignedTokens;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.room.Streams;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

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
 * dropped, later duplicates too). Refusals are {@code RESUME_FAILED} whose message starts with
 * "unknown", "expired" or "gap"; the connection then goes on as the fresh session it was
 * welcomed as. A session record exists while the session lives (clustered, so a crashed node's
 * sessions can be resumed elsewhere), stays for the grace after a drop, and is gone after a
 * deliberate close; a resume takes it, so two connections cannot resume the same session.
 *
 * <p>Budgets: a record holds at most {@code resumeRecordBytes} of answers (the session's window),
 * and an answer bigger than a quarter of that is not kept, only that it was sent: a retry of
 * that request on the resumed connection is answered {@code RESUME_FAILED} "gap: the answer to
 * request N was too large to keep" and not applied again (the client asks anew, with a new id).
 * Single node, the store as a whole holds at most {@code resumeStoreBytes} (oldest dropped).
 */
public final class ResumeService implements SessionListener {
    private final String nodeId;
    private final SessionConfig config;
    private final SignedTokens tokens;
    private final ResumeStore store;
    private final SessionRegistry registry;
    private final Streams streams;
    private final LobbyDirectory lobbies;
    private final MatchDirectory matches;
    private final TimeSource time;
    private final LongAdder resumed = new LongAdder();
    private volatile java.util.function.Consumer<ClientSession> afterResume = s -> { };
    private volatile io.tickroom.server.cluster.NodeCalls calls;
    private final LongAdder failed = new LongAdder();

    public ResumeService(String nodeId, String secret, SessionConfig config, ResumeStore store, SessionRegistry registry,
            Streams streams, LobbyDirectory lobbies, MatchDirectory matches, TimeSource time) {
        this.nodeId = nodeId;
        this.config = config;
        this.tokens = new SignedTokens(secret, "resume token");
        this.store = store;
        this.registry = registry;
        this.streams = streams;
        this.lobbies = lobbies;
        this.matches = matches;
        this.time = time;
    }

    /**
     * Clustered: a session resumed here whose old connection another node still thinks is open
     * (half-open, not yet timed out) gets that connection closed there, so it cannot linger or
     * write a second resume record for the same session.
     */
    public void closeOldConnectionsVia(io.tickroom.server.cluster.NodeCalls nodeCalls) {
        this.calls = nodeCalls;
        nodeCalls.serve("close-session", q -> {
            ClientSession old = registry.get(new String(q, java.nio.charset.StandardCharsets.UTF_8));
            if (old != null) {
                closeResumed(old);
            }
            return new byte[] {(byte) (old != null ? 1 : 0)};
        });
    }

    static final String RESUMED_ELSEWHERE = "resumed by another connection";

    /** A connection whose session another connection resumed: no record left, closed on purpose. */
    private void closeResumed(ClientSession old) {
        store.ended(old.id(), nodeId);
        old.closeAt(CloseCodes.NORMAL, RESUMED_ELSEWHERE, time.nanoTime());
    }

    /** Runs for each resumed session once its replay is queued (the match service rebinds a seat). */
    public void afterResume(java.util.function.Consumer<ClientSession> action) {
        this.afterResume = action;
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
            store.opened(StoredSession.newBuilder().setSessionId(s.id()).setUserId(s.userId()).setNodeId(nodeId).build());
        }
    }

    @Override
    public void closed(ClientSession s) {
        if (!applies(s)) {
            return;
        }
        if (s.resumable()) {
            store.detached(StoredSession.newBuilder().setSessionId(s.id()).setUserId(s.userId()).setNodeId(nodeId)
                    .setEndedAtMs(time.epochMillis()).addAllAnswers(s.answers().stored()).build(), config.resumeGraceMs());
        } else {
            store.ended(s.id(), nodeId);
        }
    }

    void resume(Request r) {
        ClientSession s = r.session();
        Resume q = r.frame().getResume();
        try {
            if (r.id() == 0) {
                refuse(r, "unknown: resume needs a request id (its answer leads the replay)");
                return;
            }
            if (!s.resumedFrom().isEmpty()) {
                refuse(r, "unknown: this connection already resumed session " + s.resumedFrom());
                return;
            }
            List<String> f;
            try {
                f = tokens.verify(q.getResumeToken(), 2);
            } catch (SignedTokens.InvalidTokenException e) {
                refuse(r, "unknown: " + e.getMessage());
                return;
            }
            String previous = f.get(0);
            if (!f.get(1).equals(s.userId()) || previous.equals(s.id())) {
                refuse(r, "unknown: the token is not for a previous session of this user");
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
                    refuse(r, "expired: session " + previous + " is past its resume grace of "
                            + config.resumeGraceMs() / 1000 + " s, or was closed, or was already resumed");
                    return;
                }
                earlier = record.get().getAnswersList();
                var nodeCalls = calls;
                if (nodeCalls != null && record.get().getEndedAtMs() == 0 && !record.get().getNodeId().equals(nodeId)) {
                    // its node still holds it open (half-open), or died: close it there if it is alive
                    nodeCalls.askOne(record.get().getNodeId(), "close-session",
                            previous.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1_000);
                }
            }
            RecentAnswers answers = RecentAnswers.of(config);
            answers.inherit(earlier);
            s.resumed(previous, answers);
            s.answers().inherit(earlier); // so a second resume still knows them

            List<ByteBuffer> replay = new ArrayList<>();
            Map<String, Long> marks = new HashMap<>();
            List<String> gaps = new ArrayList<>();
            for (String room : List.copyOf(s.rooms())) {
                Long last = q.getLastSeqsMap().get(room);
                if (last == null) {
                    continue; // the client never saw this stream: the current state (pushed on open) is all it needs
                }
                Streams.Replayed rp = streams.replay(room, last, config.replayDepth());
                if (rp.gap()) {
                    gaps.add(room);
                    continue;
                }
                replay.addAll(rp.frames());
                marks.put(room, rp.lastSeq());
            }
            if (!gaps.isEmpty()) {
                refuse(r, "gap: the pushes after your last seq of " + String.join(", ", gaps)
                        + " are no longer kept; your memberships are back, take their current state");
                return;
            }
            Resumed.Builder answer = Resumed.newBuilder().setSessionId(previous).setReplayed(replay.size());
            lobbies.lobbyOf(s.userId()).ifPresent(answer::setLobbyId);
            matches.matchOf(s.userId()).ifPresent(answer::setMatchId);
            resumed.increment();
            r.replyVia(ServerFrame.newBuilder().setResumed(answer), encoded -> s.outbound().resume(encoded, replay, marks));
            afterResume.accept(s);
        } finally {
            if (!r.isAnswered()) {
                s.outbound().release();
            }
        }
    }

    private void refuse(Request r, String reason) {
        failed.increment();
        r.fail(ErrorCode.RESUME_FAILED, reason);
        r.session().outbound().release();
    }

    public long resumes() {
        return resumed.sum();
    }

    public long failures() {
        return failed.sum();
    }
}
