package io.tickroom.server.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ServerFrame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One operator connection to a node's {@code /ws/admin}, over the JDK's WebSocket client (binary
 * frames, the token as a bearer header at the handshake): it waits for the welcome, then asks
 * one request at a time and waits for the answer whose {@code reply_to} matches; pushes are
 * ignored. Used by the CLI's thread only; the listener runs on the client's daemon threads, so a
 * process that forgets to close it still exits.
 */
final class AdminConnection implements AutoCloseable {
    private final ExecutorService threads;
    private final Listener listener;
    private final WebSocket socket;
    private final ServerFrame welcome;
    private final Duration timeout;
    private final AtomicInteger nextId = new AtomicInteger(1);

    /** Why a connection could not be opened or a request got no answer. */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;

        Failure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private AdminConnection(
            ExecutorService threads, Listener listener, WebSocket socket, ServerFrame welcome, Duration timeout) {
        this.threads = threads;
        this.listener = listener;
        this.socket = socket;
        this.welcome = welcome;
        this.timeout = timeout;
    }

    /** Opens the connection and waits for the welcome, at most {@code timeout} for each. */
    static AdminConnection open(URI uri, String token, Duration timeout) throws Failure, InterruptedException {
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tickroom-admin-client");
            t.setDaemon(true);
            return t;
        });
        Listener listener = new Listener();
        WebSocket socket = null;
        try {
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .executor(threads)
                    .build();
            socket = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .buildAsync(uri, listener)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            ServerFrame welcome = listener.welcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new AdminConnection(threads, listener, socket, welcome, timeout);
        } catch (ExecutionException e) {
            abort(socket, threads);
            Throwable cause = e.getCause();
            if (cause instanceof WebSocketHandshakeException h) {
                int status = h.getResponse().statusCode();
                throw new Failure(
                        "the node refused the handshake: HTTP " + status
                                + (status == 401
                                        ? " (token missing, forged or expired)"
                                        : status == 403 ? " (the token lacks role admin)" : ""),
                        cause);
            }
            throw new Failure(
                    "cannot connect to " + uri + ": "
                            + (cause instanceof java.net.ConnectException
                                    ? "nothing answers there (connection refused)"
                                    : describe(cause)),
                    cause);
        } catch (TimeoutException e) {
            abort(socket, threads);
            throw new Failure("no welcome from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (IllegalArgumentException e) {
            abort(socket, threads);
            throw new Failure("bad URL " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The node this connection is on, from its welcome. */
    String nodeId() {
        return welcome.getWelcome().getNodeId();
    }

    /** Sends the request with the next request id and returns its one answer (a result or an error). */
    ServerFrame ask(ClientFrame.Builder request) throws Failure, InterruptedException {
        int id = nextId.getAndIncrement();
        CompletableFuture<ServerFrame> answer = new CompletableFuture<>();
        listener.pending.put(id, answer);
        try {
            socket.sendBinary(ByteBuffer.wrap(request.setRequestId(id).build().toByteArray()), true)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new Failure(describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            throw new Failure("no answer within " + timeout.toMillis() + " ms", e);
        } finally {
            listener.pending.remove(id);
        }
    }

    /** Closes with 1000 and waits (at most the timeout) for the node's close, so it forgets this session at once. */
    @Override
    public void close() throws InterruptedException {
        try {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            listener.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the node went away first or never answered the close: nothing left to wait for
        } finally {
            socket.abort();
            threads.shutdownNow();
        }
    }

    private static void abort(WebSocket socket, ExecutorService threads) {
        if (socket != null) {
            socket.abort();
        }
        threads.shutdownNow();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    /** Reassembles binary messages and routes each frame: the welcome, an answer, or a push (dropped). */
    private static final class Listener implements WebSocket.Listener {
        final CompletableFuture<ServerFrame> welcome = new CompletableFuture<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final Map<Integer, CompletableFuture<ServerFrame>> pending = new ConcurrentHashMap<>();
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            message.write(part, 0, part.length);
            if (last) {
                byte[] whole = message.toByteArray();
                message.reset();
                try {
                    route(ServerFrame.parseFrom(whole));
                } catch (InvalidProtocolBufferException e) {
                    fail(new IllegalStateException("undecodable frame from the node", e));
                }
            }
            ws.request(1);
            return null;
        }

        private void route(ServerFrame f) {
            if (f.getReplyTo() != 0) {
                CompletableFuture<ServerFrame> answer = pending.get(f.getReplyTo());
                if (answer != null) {
                    answer.complete(f);
                }
            } else if (f.hasWelcome()) {
                welcome.complete(f);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            closed.complete(statusCode);
            fail(new IllegalStateException("the node closed the connection: " + statusCode + " " + reason));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            closed.complete(-1);
            fail(error);
        }

        private void fail(Throwable t) {
            welcome.completeExceptionally(t);
            pending.values().forEach(p -> p.completeExceptionally(t));
        }
    }
}
