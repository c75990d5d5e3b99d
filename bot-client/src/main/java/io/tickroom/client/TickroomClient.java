package io.tickroom.client;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.JoinMatch;
import io.tickroom.protocol.v1.LeaveMatch;
import io.tickroom.protocol.v1.MatchFound;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.Resume;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.Welcome;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * One player's connection to Tickroom.
 *
 * <p>Design note. State lives under this object's lock; listeners are called outside it. A
 * request gets an id, a timeout timer (started at once, so time spent queued counts) and a
 * future; it is sent when the connection is open, or queued (bounded, reject newest) and flushed
 * in order after the next welcome. A request that was sent but not answered when the connection
 * drops fails with {@link ConnectionLostException}: the client cannot know whether the server
 * applied it. Reconnection follows {@link Backoff}; a refused handshake (401/403) gives up at once.
 */
public final class TickroomClient implements AutoCloseable {
    private enum State {
        IDLE,
        CONNECTING,
        OPEN,
        WAITING,
        CLOSED,
        GAVE_UP
    }

    /** {@code sentAtMs}: -1 queued, never sent; {@link #AWAITING_RESUME} sent, then the connection dropped. */
    private record Pending(
            CompletableFuture<ServerFrame> future,
            ClientFrame.BodyCase type,
            long sentAtMs,
            Timer.Cancellable timeout,
            ByteBuffer bytes) {
        Pending sentAt(long ms) {
            return new Pending(future, type, ms, timeout, bytes);
        }
    }

    private static final long AWAITING_RESUME = -2;

    private final ClientConfig config;
    private final Transport.Connector connector;
    private final Timer timer;
    private final RandomGenerator random;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private final Map<ServerFrame.BodyCase, List<Consumer<ServerFrame>>> listeners =
            new EnumMap<>(ServerFrame.BodyCase.class);
    private final List<Consumer<ServerFrame>> anyPush = new CopyOnWriteArrayList<>();
    private final List<ConnectionListener> connectionListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<MatchLink>> matchListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Welcome> firstWelcome = new CompletableFuture<>();
    private State state = State.IDLE;
    private Transport transport;
    private int nextRequestId = 1;
    private int attempt;
    private Welcome welcome;
    private volatile MatchLink match;
    private Object currentAttempt;
    private final Stats stats = new Stats();
    /** The highest seq seen per stream: what a resume asks to continue from, and what dedupes a replay. */
    private final Map<String, Long> lastSeqs = new HashMap<>();
    /** The resume token of the current (or last) session; empty when the server offers none. */
    private String resumeToken = "";
    /** Where the next connection goes: the configured URL, or where a draining node sent us. */
    private URI url;

    public TickroomClient(ClientConfig config, Transport.Connector connector, Timer timer, RandomGenerator random) {
        this.config = config;
        this.connector = connector;
        this.timer = timer;
        this.random = random;
        this.url = config.url();
        on(ServerFrame.BodyCase.MATCH_FOUND, this::matchFound);
        on(ServerFrame.BodyCase.GOODBYE, f -> {
            if (!f.getGoodbye().getReconnectUrl().isEmpty()) {
                synchronized (this) {
                    url = URI.create(f.getGoodbye().getReconnectUrl()); // a draining node names where to go
                }
            }
        });
    }

    /** Counters of what this client sent and received. */
    public static final class Stats {
        // counted from the socket's thread, the caller's thread and timers at once: adders, not volatile ++
        private final java.util.concurrent.atomic.LongAdder framesIn = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder framesOut = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder reconnects = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder resumes = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder resumesFailed = new java.util.concurrent.atomic.LongAdder();
        private final java.util.concurrent.atomic.LongAdder duplicatesDropped =
                new java.util.concurrent.atomic.LongAdder();

        public long framesIn() {
            return framesIn.sum();
        }

        public long framesOut() {
            return framesOut.sum();
        }

        public long reconnects() {
            return reconnects.sum();
        }

        public long resumes() {
            return resumes.sum();
        }

        public long resumesFailed() {
            return resumesFailed.sum();
        }

        public long duplicatesDropped() {
            return duplicatesDropped.sum();
        }
    }

    // ------------------------------------------------------------------ life cycle

    /** Connects; the future completes with the first welcome (or fails when the client gives up). */
    public CompletableFuture<Welcome> connect() {
        synchronized (this) {
            if (state != State.IDLE) {
                return firstWelcome;
            }
            state = State.CONNECTING;
        }
        open();
        return firstWelcome;
    }

    private void open() {
        TransportListener listener = new TransportListener();
        URI target;
        synchronized (this) {
            // only the newest attempt may become the connection: a slow earlier attempt that opens
            // late is closed instead of being left open with nobody reading it
            currentAttempt = listener;
            // announcing the resume makes the server hold pushes until the replay
            target = resumeToken.isEmpty() ? url : URI.create(url + (url.getQuery() == null ? "?" : "&") + "resume=1");
        }
        connector
                .connect(target, config.token().get(), config.tokenInQuery(), listener)
                .whenComplete((t, err) -> {
                    if (err != null) {
                        connectFailed(err);
                    }
                });
    }

    private void connectFailed(Throwable err) {
        Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                ? err.getCause()
                : err;
        if (cause instanceof Transport.HandshakeRejectedException rejected
                && (rejected.status() == 401 || rejected.status() == 403)) {
            giveUp("refused at the handshake: HTTP " + rejected.status() + " " + rejected.getMessage());
            return;
        }
        scheduleReconnect(1006, String.valueOf(cause.getMessage()), false);
    }

    private void welcomed(Welcome w) {
        List<ByteBuffer> flush;
        Transport t;
        int attempts;
        String previous;
        ClientFrame resume = null;
        int resumeId = 0;
        synchronized (this) {
            welcome = w;
            state = State.OPEN;
            attempts = attempt;
            attempt = 0;
            previous = resumeToken;
            resumeToken = w.getResumeToken();
            if (attempts > 0 && !previous.isEmpty()) {
                resumeId = nextId();
                resume = ClientFrame.newBuilder()
                        .setRequestId(resumeId)
                        .setResume(Resume.newBuilder().setResumeToken(previous).putAllLastSeqs(lastSeqs))
                        .build();
                final int id = resumeId;
                CompletableFuture<ServerFrame> answer = new CompletableFuture<>();
                pending.put(
                        id,
                        new Pending(
                                answer,
                                ClientFrame.BodyCase.RESUME,
                                timer.nowMs(),
                                timer.schedule(config.requestTimeoutMs(), () -> timedOut(id)),
                                null));
                answer.whenComplete(this::resumeAnswered);
            } else if (attempts > 0) {
                lastSeqs.clear(); // a fresh session: its streams start again
            }
            flush = List.copyOf(queue);
            queue.clear();
            t = transport;
        }
        if (resume != null) {
            t.send(ByteBuffer.wrap(resume.toByteArray())); // first: the server replays before anything else
            stats.framesOut.increment();
        }
        for (ByteBuffer b : flush) {
            t.send(b);
            stats.framesOut.increment();
        }
        if (attempts > 0) {
            stats.reconnects.increment();
            connectionListeners.forEach(l -> l.reconnected(attempts));
        }
        firstWelcome.complete(w);
    }

    /**
     * The answer to an automatic resume. Resumed: requests that were sent but unanswered when the
     * connection dropped are sent again with their ids (the server answers a request it already
     * applied from its answer window instead of applying it twice). Refused: they fail (their
     * outcome is unknown), the seqs start over, and listeners hear {@code sessionExpired} with the
     * refusal's typed reason.
     */
    private void resumeAnswered(ServerFrame answer, Throwable failure) {
        List<ByteBuffer> again = new ArrayList<>();
        List<Pending> lost = new ArrayList<>();
        Transport t;
        boolean ok = failure == null && answer.hasResumed();
        synchronized (this) {
            t = transport;
            for (var e : pending.entrySet()) {
                if (e.getValue().sentAtMs() == AWAITING_RESUME) {
                    if (ok && t != null) {
                        again.add(e.getValue().bytes());
                        e.setValue(e.getValue().sentAt(timer.nowMs()));
                    } else {
                        lost.add(e.getValue());
                    }
                }
            }
            lost.forEach(p -> pending.values().remove(p));
            if (!ok) {
                lastSeqs.clear();
            }
        }
        for (Pending p : lost) {
            p.timeout().cancel();
            p.future()
                    .completeExceptionally(
                            new ConnectionLostException("connection lost and the session could not be resumed"));
        }
        if (ok) {
            stats.resumes.increment();
            for (ByteBuffer b : again) {
                t.send(b.duplicate());
                stats.framesOut.increment();
            }
            connectionListeners.forEach(l -> l.resumed(
                    answer.getResumed().getSessionId(), answer.getResumed().getReplayed()));
        } else {
            stats.resumesFailed.increment();
            String why = failure != null
                    ? String.valueOf(failure.getMessage())
                    : answer.getError().getMessage();
            io.tickroom.protocol.v1.ResumeFailedReason reason = failure != null
                    ? io.tickroom.protocol.v1.ResumeFailedReason.RESUME_FAILED_REASON_UNSPECIFIED
                    : answer.getError().getResumeFailedReason();
            connectionListeners.forEach(l -> l.sessionExpired(reason, why));
        }
    }

    private void closed(Transport from, int code, String reason) {
        boolean userClosed;
        synchronized (this) {
            if (from != transport) {
                return; // an old connection's late close
            }
            transport = null;
            userClosed = state == State.CLOSED || state == State.GAVE_UP;
            failSent("connection lost (" + code + " " + reason + ")");
        }
        if (userClosed) {
            return;
        }
        connectionListeners.forEach(l -> l.disconnected(code, reason));
        // 1003/1009: this client sends what the server refuses; 4003: an operator kicked the user
        boolean reconnectable = config.reconnect() && code != 1003 && code != 1009 && code != 4003;
        if (!reconnectable) {
            giveUp("closed " + code + " " + reason);
            return;
        }
        scheduleReconnect(code, reason, true);
    }

    private void scheduleReconnect(int code, String reason, boolean afterOpen) {
        int n;
        synchronized (this) {
            if (state == State.CLOSED || state == State.GAVE_UP) {
                return;
            }
            n = ++attempt;
            state = State.WAITING;
        }
        if (config.backoff().exhausted(n)) {
            giveUp("gave up after " + (n - 1) + " attempts; last: " + code + " " + reason);
            return;
        }
        long delay = config.backoff().delayMs(n, random);
        connectionListeners.forEach(l -> l.reconnecting(n, delay));
        timer.schedule(delay, () -> {
            synchronized (this) {
                if (state != State.WAITING) {
                    return;
                }
                state = State.CONNECTING;
            }
            open();
        });
    }

    private void giveUp(String reason) {
        List<Pending> failed;
        synchronized (this) {
            if (state == State.CLOSED || state == State.GAVE_UP) {
                return;
            }
            state = State.GAVE_UP;
            queue.clear();
            failed = List.copyOf(pending.values());
            pending.clear();
        }
        for (Pending p : failed) {
            p.timeout().cancel();
            p.future().completeExceptionally(new ConnectionLostException(reason));
        }
        firstWelcome.completeExceptionally(new ConnectionLostException(reason));
        connectionListeners.forEach(l -> l.gaveUp(reason));
    }

    /** Drops the connection without a close handshake, as a network failure would; it reconnects. */
    public void dropConnection() {
        Transport t;
        synchronized (this) {
            t = transport;
        }
        if (t != null) {
            t.abort();
        }
    }

    @Override
    public void close() {
        Transport t;
        MatchLink m = match;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            t = transport;
            transport = null;
            queue.clear();
            failSent("client closed");
        }
        if (m != null && m.connection() != this) {
            m.connection().close();
        }
        if (t != null) {
            t.close(1000, "client closed");
        }
        firstWelcome.completeExceptionally(new ConnectionLostException("client closed"));
    }

    /**
     * The connection dropped; lock held. Sent, unanswered requests wait for the resume when one
     * can follow (then they are sent again), else they fail. Queued ones stay queued.
     */
    private void failSent(String why) {
        boolean resumable =
                config.reconnect() && !resumeToken.isEmpty() && state != State.CLOSED && state != State.GAVE_UP;
        var it = pending.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            Pending p = e.getValue();
            if (p.sentAtMs() >= 0 && resumable && p.type() != ClientFrame.BodyCase.RESUME) {
                e.setValue(p.sentAt(AWAITING_RESUME));
            } else if (p.sentAtMs() >= 0 || p.sentAtMs() == AWAITING_RESUME) {
                it.remove();
                p.timeout().cancel();
                p.future().completeExceptionally(new ConnectionLostException(why));
            }
        }
        if (state == State.CLOSED || state == State.GAVE_UP) {
            for (Pending p : pending.values()) {
                p.timeout().cancel();
                p.future().completeExceptionally(new ConnectionLostException(why));
            }
            pending.clear();
        }
    }

    // ------------------------------------------------------------------ requests

    /**
     * Sends a request and returns its one answer: a result or an {@code error} frame (check
     * {@code hasError()}). Fails with {@link RequestTimeoutException}, {@link QueueFullException}
     * or {@link ConnectionLostException}.
     */
    public CompletableFuture<ServerFrame> request(ClientFrame.Builder frame) {
        CompletableFuture<ServerFrame> future = new CompletableFuture<>();
        int id;
        ByteBuffer bytes;
        Transport t;
        synchronized (this) {
            if (state == State.CLOSED || state == State.GAVE_UP) {
                future.completeExceptionally(
                        new ConnectionLostException("client is " + state.name().toLowerCase()));
                return future;
            }
            id = nextId();
            bytes = ByteBuffer.wrap(frame.setRequestId(id).build().toByteArray());
            t = state == State.OPEN ? transport : null;
            if (t == null && queue.size() >= config.maxQueuedFrames()) {
                future.completeExceptionally(new QueueFullException(
                        "disconnected and " + config.maxQueuedFrames() + " frames are already queued"));
                return future;
            }
            final int requestId = id;
            Timer.Cancellable timeout = timer.schedule(config.requestTimeoutMs(), () -> timedOut(requestId));
            pending.put(id, new Pending(future, frame.getBodyCase(), t == null ? -1 : timer.nowMs(), timeout, bytes));
            if (t == null) {
                queue.addLast(bytes);
            }
        }
        if (t != null) {
            t.send(bytes);
            stats.framesOut.increment();
        }
        return future;
    }

    /** Request ids keep increasing across reconnects, so a retried id is never a new request's. Lock held. */
    private int nextId() {
        int id = nextRequestId++;
        if (nextRequestId == Integer.MAX_VALUE) {
            nextRequestId = 1;
        }
        return id;
    }

    /** Sends without asking for an answer; queued like requests while disconnected. */
    public boolean send(ClientFrame frame) {
        ByteBuffer bytes = ByteBuffer.wrap(frame.toByteArray());
        Transport t;
        synchronized (this) {
            if (state == State.CLOSED || state == State.GAVE_UP) {
                return false;
            }
            t = state == State.OPEN ? transport : null;
            if (t == null) {
                if (queue.size() >= config.maxQueuedFrames()) {
                    return false;
                }
                queue.addLast(bytes);
                return true;
            }
        }
        t.send(bytes);
        stats.framesOut.increment();
        return true;
    }

    private void timedOut(int id) {
        Pending p;
        synchronized (this) {
            p = pending.remove(id);
            if (p != null && p.sentAtMs() < 0) {
                // still queued: it must not be sent after it has failed
                queue.removeIf(b -> requestIdOf(b) == id);
            }
        }
        if (p != null) {
            p.future()
                    .completeExceptionally(
                            new RequestTimeoutException(p.type().name().toLowerCase() + " got no answer within "
                                    + config.requestTimeoutMs() + " ms"));
        }
    }

    private static int requestIdOf(ByteBuffer b) {
        try {
            return ClientFrame.parseFrom(b.duplicate()).getRequestId();
        } catch (InvalidProtocolBufferException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ pushes

    /** Listens for pushes of one type (also called for frames forwarded from a match connection). */
    public synchronized TickroomClient on(ServerFrame.BodyCase type, Consumer<ServerFrame> listener) {
        listeners.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /** Listens for every push. */
    public TickroomClient onAnyPush(Consumer<ServerFrame> listener) {
        anyPush.add(listener);
        return this;
    }

    public TickroomClient onConnection(ConnectionListener listener) {
        connectionListeners.add(listener);
        return this;
    }

    /** Told when this client has claimed a seat after a {@code match_found} it followed. */
    public TickroomClient onMatchJoined(Consumer<MatchLink> listener) {
        matchListeners.add(listener);
        return this;
    }

    private void received(Transport from, ByteBuffer bytes) {
        stats.framesIn.increment();
        ServerFrame f;
        try {
            f = ServerFrame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        if (f.getReplyTo() != 0) {
            Pending p;
            synchronized (this) {
                p = pending.remove(f.getReplyTo());
            }
            if (p != null) {
                p.timeout().cancel();
                p.future().complete(f);
            }
            return;
        }
        if (f.hasWelcome()) {
            welcomed(f.getWelcome());
        }
        if (f.getSeq() > 0) {
            synchronized (this) {
                Long last = lastSeqs.get(f.getStream());
                if (last != null && f.getSeq() <= last) {
                    stats.duplicatesDropped.increment(); // seen already (a replay overlapping what arrived): once only
                    return;
                }
                lastSeqs.put(f.getStream(), f.getSeq());
            }
        }
        deliver(f);
    }

    void deliver(ServerFrame f) {
        List<Consumer<ServerFrame>> ls;
        synchronized (this) {
            ls = listeners.get(f.getBodyCase());
        }
        if (ls != null) {
            for (Consumer<ServerFrame> l : ls) {
                l.accept(f);
            }
        }
        for (Consumer<ServerFrame> l : anyPush) {
            l.accept(f);
        }
    }

    // ------------------------------------------------------------------ matches

    private void matchFound(ServerFrame f) {
        if (!config.followMatches()) {
            return;
        }
        MatchFound found = f.getMatchFound();
        TickroomClient conn = this;
        if (!sameNode(URI.create(found.getEndpoint()), config.url())) {
            conn = new TickroomClient(
                    config.withUrl(URI.create(found.getEndpoint())).withFollowMatches(false), connector, timer, random);
            conn.onAnyPush(this::deliver);
            conn.connect();
        }
        TickroomClient via = conn;
        via.request(ClientFrame.newBuilder().setJoinMatch(JoinMatch.newBuilder().setSeatToken(found.getSeatToken())))
                .whenComplete((reply, err) -> {
                    if (err == null && reply.hasMatchJoined()) {
                        MatchLink link = new MatchLink(found.getMatchId(), via, reply);
                        match = link;
                        matchListeners.forEach(l -> l.accept(link));
                    } else if (via != this) {
                        via.close();
                    }
                });
    }

    static boolean sameNode(URI a, URI b) {
        return a.getHost().equalsIgnoreCase(b.getHost())
                && port(a) == port(b)
                && a.getPath().equals(b.getPath());
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : ("wss".equals(u.getScheme()) ? 443 : 80);
    }

    /** The match this client follows now, if any. */
    public MatchLink match() {
        return match;
    }

    void matchOver(MatchLink link) {
        if (match == link) {
            match = null;
        }
        if (link.connection() != this) {
            link.connection().close();
        }
    }

    /**
     * A claimed seat: where to send inputs. The connection is this client's, or a second one to
     * the node hosting the match.
     */
    public final class MatchLink {
        private final String matchId;
        private final TickroomClient connection;
        private final ServerFrame joined;

        MatchLink(String matchId, TickroomClient connection, ServerFrame joined) {
            this.matchId = matchId;
            this.connection = connection;
            this.joined = joined;
        }

        public String matchId() {
            return matchId;
        }

        public ServerFrame joined() {
            return joined;
        }

        TickroomClient connection() {
            return connection;
        }

        /** Sends one input, fire-and-forget. */
        public boolean input(long tick, ByteString payload) {
            return connection.send(ClientFrame.newBuilder()
                    .setMatchInput(MatchInput.newBuilder()
                            .setMatchId(matchId)
                            .setTick(tick)
                            .setPayload(payload))
                    .build());
        }

        public CompletableFuture<ServerFrame> leave() {
            return connection.request(ClientFrame.newBuilder()
                    .setLeaveMatch(LeaveMatch.newBuilder().setMatchId(matchId)));
        }

        /** The match ended (the application saw {@code match_ended}): forget it, close a second connection. */
        public void done() {
            matchOver(this);
        }
    }

    // ------------------------------------------------------------------ reads

    public synchronized boolean isOpen() {
        return state == State.OPEN;
    }

    public synchronized Welcome welcome() {
        return welcome;
    }

    public synchronized int queuedFrames() {
        return queue.size();
    }

    public synchronized int pendingRequests() {
        return pending.size();
    }

    public Stats stats() {
        return stats;
    }

    public ClientConfig config() {
        return config;
    }

    private final class TransportListener implements Transport.Listener {
        private volatile Transport transport;

        @Override
        public void onOpen(Transport t) {
            synchronized (TickroomClient.this) {
                if (state != State.CONNECTING || currentAttempt != this) {
                    t.close(1000, state == State.CONNECTING ? "superseded attempt" : "client closed");
                    return;
                }
                transport = t;
                TickroomClient.this.transport = t;
            }
        }

        @Override
        public void onFrame(ByteBuffer frame) {
            Transport t = transport;
            if (t != null) { // a superseded attempt that was never adopted says nothing (not even its welcome)
                received(t, frame);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            Transport t = transport;
            if (t != null) {
                closed(t, code, reason);
            }
        }
    }
}
