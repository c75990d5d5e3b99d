package io.tickroom.server.testing;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ServerFrame;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * A real WebSocket client for tests: sends ClientFrames, matches replies to request ids, and
 * keeps pushes in arrival order. Every wait has a timeout.
 */
public final class TestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final WebSocketClient CLIENT = startClient();

    private final Endpoint endpoint = new Endpoint();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<ServerFrame> pushes = new LinkedBlockingQueue<>();
    private final List<ServerFrame> unmatchedReplies = new ArrayList<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private volatile Session session;
    private ServerFrame welcome;
    private final List<ServerFrame> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Map<String, Long> lastSeqs = new ConcurrentHashMap<>();

    private static WebSocketClient startClient() {
        try {
            WebSocketClient c = new WebSocketClient();
            c.setMaxBinaryMessageSize(16 << 20);
            c.setMaxFrameSize(16 << 20);
            c.setIdleTimeout(Duration.ofMinutes(5));
            c.start();
            return c;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public record CloseStatus(int code, String reason) {}

    /** Connects with the token in the Authorization header and waits for the welcome. */
    public static TestClient connect(URI uri, String token) throws Exception {
        ClientUpgradeRequest req = new ClientUpgradeRequest(uri);
        req.setHeader("Authorization", "Bearer " + token);
        return open(uri, req);
    }

    /** Connects with the token in the {@code access_token} query parameter, as browsers must. */
    public static TestClient connectWithQueryToken(URI uri, String token) throws Exception {
        URI withToken = URI.create(uri + "?access_token=" + token);
        return open(withToken, new ClientUpgradeRequest(withToken));
    }

    /**
     * Connects announcing a resume ({@code ?resume=1}) with the same token scheme, and continues
     * the request ids after {@code firstRequestId} (a client keeps its ids across reconnects).
     */
    public static TestClient connectResuming(URI uri, String token, int firstRequestId) throws Exception {
        URI resuming = URI.create(uri + "?resume=1");
        ClientUpgradeRequest req = new ClientUpgradeRequest(resuming);
        req.setHeader("Authorization", "Bearer " + token);
        TestClient c = open(resuming, req);
        c.nextId.set(firstRequestId);
        return c;
    }

    /** Drops the connection without a close frame, as a phone losing its network does (the server sees 1006). */
    public void drop() {
        session.disconnect();
    }

    /**
     * Sends a request with the given id and drops the connection as soon as the frame is written:
     * the server gets the request, then loses the connection before it could answer.
     */
    public void sendThenDrop(int id, ClientFrame.Builder frame) throws Exception {
        CompletableFuture<Void> written = new CompletableFuture<>();
        session.sendBinary(
                ByteBuffer.wrap(frame.setRequestId(id).build().toByteArray()),
                Callback.from(() -> written.complete(null), written::completeExceptionally));
        written.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        session.disconnect();
    }

    /** The highest seq seen per stream (what a resume sends back). */
    public Map<String, Long> lastSeqs() {
        return Map.copyOf(lastSeqs);
    }

    /** Every frame received after the welcome, replies and pushes, in arrival order. */
    public List<ServerFrame> received() {
        return List.copyOf(received);
    }

    /** Lobby-stream frames of a list, as "seq:chat text" or "seq:state [members, ready*]". */
    public static List<String> lobbyFrames(List<ServerFrame> frames) {
        List<String> out = new ArrayList<>();
        for (ServerFrame f : frames) {
            if (f.getStream().startsWith("lobby:")) {
                out.add(f.getSeq() + ":"
                        + (f.hasChat()
                                ? "chat " + f.getChat().getText()
                                : "state "
                                        + f.getLobbyState().getMembersList().stream()
                                                .map(m -> m.getUserId() + (m.getReady() ? "*" : ""))
                                                .toList()));
            }
        }
        return out;
    }

    /** The next request id this client would use. */
    public int nextRequestId() {
        return nextId.get();
    }

    /** Sends a request with the given id and waits for its answer (a retry of an earlier request). */
    public ServerFrame requestWithId(int id, ClientFrame.Builder frame) throws Exception {
        CompletableFuture<ServerFrame> f = new CompletableFuture<>();
        pending.put(id, f);
        sendBytes(ByteBuffer.wrap(frame.setRequestId(id).build().toByteArray()));
        return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static TestClient open(URI uri, ClientUpgradeRequest req) throws Exception {
        TestClient c = new TestClient();
        c.session = CLIENT.connect(c.endpoint, req).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        c.welcome = c.nextPush();
        if (!c.welcome.hasWelcome()) {
            throw new AssertionError("first frame was not a welcome: " + c.welcome);
        }
        return c;
    }

    public ServerFrame welcome() {
        return welcome;
    }

    public String sessionId() {
        return welcome.getWelcome().getSessionId();
    }

    /** Sends a request with a fresh id and waits for its one answer. */
    public ServerFrame request(ClientFrame.Builder frame) throws Exception {
        return requestAsync(frame).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public CompletableFuture<ServerFrame> requestAsync(ClientFrame.Builder frame) {
        int id = nextId.getAndIncrement();
        CompletableFuture<ServerFrame> f = new CompletableFuture<>();
        pending.put(id, f);
        sendBytes(ByteBuffer.wrap(frame.setRequestId(id).build().toByteArray()));
        return f;
    }

    /** Sends without asking for an answer (request id as given, usually 0). */
    public void send(ClientFrame frame) {
        sendBytes(ByteBuffer.wrap(frame.toByteArray()));
    }

    public void sendBytes(ByteBuffer bytes) {
        session.sendBinary(bytes, Callback.NOOP);
    }

    public void sendText(String text) {
        session.sendText(text, Callback.NOOP);
    }

    /** The next push (reply_to 0) in arrival order. */
    public ServerFrame nextPush() throws InterruptedException {
        ServerFrame f = pushes.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (f == null) {
            throw new AssertionError("no push within " + TIMEOUT + closedSoFar());
        }
        return f;
    }

    /** ", closed CODE REASON" when the server closed the connection: a timeout then is no mystery. */
    private String closedSoFar() {
        CloseStatus c = closed.getNow(null);
        return c == null ? "" : ", closed " + c.code() + " " + c.reason();
    }

    /** Skips pushes until one matches; fails on timeout. */
    public ServerFrame awaitPush(Predicate<ServerFrame> match) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            ServerFrame f = left <= 0 ? null : pushes.poll(left, TimeUnit.NANOSECONDS);
            if (f == null) {
                throw new AssertionError("no matching push within " + TIMEOUT + closedSoFar());
            }
            if (match.test(f)) {
                return f;
            }
        }
    }

    /** Pushes received and not yet taken, without waiting. */
    public List<ServerFrame> drainPushes() {
        List<ServerFrame> out = new ArrayList<>();
        pushes.drainTo(out);
        return out;
    }

    public CloseStatus awaitClose() throws Exception {
        return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the connection closes, with the code and reason. */
    public CompletableFuture<CloseStatus> closedFuture() {
        return closed;
    }

    public boolean isOpen() {
        return session != null && session.isOpen();
    }

    public synchronized List<ServerFrame> unmatchedReplies() {
        return new ArrayList<>(unmatchedReplies);
    }

    @Override
    public void close() throws Exception {
        if (session != null && session.isOpen()) {
            session.close(1000, "bye", Callback.NOOP);
            try {
                awaitClose();
            } catch (Exception e) {
                session.disconnect();
            }
        }
    }

    /** When each of the server's pings arrived (System.nanoTime). */
    public final java.util.List<Long> pingsAtNs = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /** Jetty binds endpoints with method handles: this class must be public. */
    public final class Endpoint implements Session.Listener.AutoDemanding {
        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            try {
                ServerFrame f = ServerFrame.parseFrom(payload);
                if (!f.hasWelcome()) {
                    received.add(f);
                }
                if (f.getSeq() > 0) {
                    lastSeqs.merge(f.getStream(), f.getSeq(), Math::max);
                }
                if (f.getReplyTo() != 0) {
                    CompletableFuture<ServerFrame> p = pending.remove(f.getReplyTo());
                    if (p == null) {
                        synchronized (TestClient.this) {
                            unmatchedReplies.add(f);
                        }
                    } else {
                        p.complete(f);
                    }
                } else {
                    pushes.add(f);
                }
                callback.succeed();
            } catch (Exception e) {
                callback.fail(e);
            }
        }

        @Override
        public void onWebSocketPing(ByteBuffer payload) {
            pingsAtNs.add(System.nanoTime());
            Session s = session;
            if (s != null) {
                s.sendPong(payload, Callback.NOOP); // answered by hand: this listener takes the ping
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            closed.complete(new CloseStatus(statusCode, reason));
            callback.succeed();
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a failed send after the server closed lands here too; Jetty calls onWebSocketClose
            // afterwards in every case (1006 when the connection just died), which is what we wait on
        }
    }
}
