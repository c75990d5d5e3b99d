package io.tickroom.server.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.internal.v1.ControlMessage;
import io.tickroom.protocol.internal.v1.MembershipChanged;
import io.tickroom.protocol.internal.v1.NodeAnswer;
import io.tickroom.protocol.internal.v1.NodeCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one node says to the others over their control channels on the {@link MessageBus}, each
 * message a {@code tickroom.internal.v1.ControlMessage}: calls and membership changes.
 *
 * <p>Calls go from one node to one or every live node (scatter, then gather within a timeout):
 * what admin queries and commands, match placement and resume use. A call is a {@code kind} and
 * a query (the kind's own protobuf message, encoded); each node answers with bytes from the
 * handler it serves for that kind. The answer always completes by the deadline, with what came
 * back and the live nodes that did not answer: a slow or frozen node is named, never waited for.
 * A call to this node itself (single node, the only one) stays in the process. Bounded: at most
 * {@value #MAX_PENDING} calls in flight per node (past it a call fails at once with
 * {@link ClusterUnavailableException}), and a node serves calls on one thread with a queue of
 * {@value #MAX_QUEUED}; a call that finds the queue full is dropped, so the asking node names
 * this node as missing.
 *
 * <p>Membership changes ({@link #announce}) go to every other live node, one message per change
 * and node (a node cannot know where a user's other sessions are: it asks nobody), and are
 * handed on the bus thread to the handler set with {@link #onMembership}; a node that holds no
 * session of the user ignores it.
 */
public final class NodeCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeCalls.class);
    static final int MAX_PENDING = 256;
    static final int MAX_QUEUED = 256;

    private final String nodeId;
    private final MessageBus bus;
    private final Supplier<List<String>> liveNodes;
    private final Map<String, Function<byte[], CompletableFuture<byte[]>>> handlers = new ConcurrentHashMap<>();
    private volatile Consumer<MembershipChanged> membership = m -> {};
    private final Map<Long, Gathering> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ThreadPoolExecutor serving;
    private final ScheduledExecutorService timer;

    /**
     * {@code liveNodes} lists the ids of the live nodes, this one included. The calls thread and
     * the timer come from {@code threads} as the first call needs them.
     */
    public NodeCalls(
            String nodeId,
            MessageBus bus,
            Supplier<List<String>> liveNodes,
            io.tickroom.server.thread.NodeThreads threads) {
        this.nodeId = nodeId;
        this.bus = bus;
        this.liveNodes = liveNodes;
        this.serving = new ThreadPoolExecutor(
                1,
                1,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED),
                threads.single("calls"),
                new ThreadPoolExecutor.AbortPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(threads.single("calls-timer"));
        bus.onNodeMessage(this::received);
    }

    /** What every node answered, by node id (sorted), and the live nodes that did not answer in time. */
    public record Gathered(Map<String, byte[]> answers, List<String> missing) {}

    /** Serves calls of {@code kind} on this node; the handler runs on the calls thread (null: no answer). */
    public void serve(String kind, Function<byte[], byte[]> handler) {
        handlers.put(kind, q -> CompletableFuture.completedFuture(handler.apply(q)));
    }

    /**
     * Serves calls of {@code kind} whose answer comes later: the handler runs on the calls thread,
     * must not wait, and completes its future (null: no answer) from any thread (the answer is
     * sent from the calls thread); the asker gives up at its own timeout.
     */
    public void serveLater(String kind, Function<byte[], CompletableFuture<byte[]>> handler) {
        handlers.put(kind, handler);
    }

    /**
     * Where membership changes from other nodes go: called on the bus thread, in the order they
     * arrived; the handler must not wait (in-memory steps only).
     */
    public void onMembership(Consumer<MembershipChanged> handler) {
        this.membership = handler;
    }

    /**
     * Tells every other live node of these membership changes (this node applies them itself).
     * On the caller's thread: one registry read, then one publish per change and node. A node it
     * cannot reach is logged and skipped; throws {@link ClusterUnavailableException} when the
     * live nodes cannot be read.
     */
    public void announce(List<MembershipChanged> changes) {
        if (changes.isEmpty()) {
            return;
        }
        List<String> others = new ArrayList<>(liveNodes.get());
        others.remove(nodeId);
        for (String node : others) {
            for (MembershipChanged c : changes) {
                try {
                    bus.sendToNode(
                            node,
                            ControlMessage.newBuilder()
                                    .setMembershipChanged(c)
                                    .build()
                                    .toByteArray());
                } catch (ClusterUnavailableException e) {
                    log.warn("membership change of {} not sent to {}: {}", c.getUserId(), node, e.getMessage());
                }
            }
        }
    }

    /** Asks every live node; completes (never exceptionally once started) by {@code timeoutMs}. */
    public CompletableFuture<Gathered> askAll(String kind, byte[] query, long timeoutMs) {
        return ask(null, kind, query, timeoutMs);
    }

    /** Asks one node; the answer, or {@code null} when it did not answer within {@code timeoutMs}. */
    public CompletableFuture<byte[]> askOne(String node, String kind, byte[] query, long timeoutMs) {
        return ask(node, kind, query, timeoutMs).thenApply(g -> g.answers().get(node));
    }

    private CompletableFuture<Gathered> ask(String only, String kind, byte[] query, long timeoutMs) {
        if (pending.size() >= MAX_PENDING) {
            return CompletableFuture.failedFuture(
                    new ClusterUnavailableException("too many cluster calls in flight (" + MAX_PENDING + ")", null));
        }
        long id = ids.incrementAndGet();
        Gathering g = new Gathering();
        pending.put(id, g);
        g.future.whenComplete((r, e) -> pending.remove(id));
        try {
            serving.execute(() -> scatter(id, g, only, kind, query));
        } catch (RejectedExecutionException e) {
            g.future.completeExceptionally(
                    new ClusterUnavailableException("this node is too busy for cluster calls", null));
            return g.future;
        }
        timer.schedule(g::finish, timeoutMs, TimeUnit.MILLISECONDS);
        return g.future;
    }

    private void scatter(long id, Gathering g, String only, String kind, byte[] query) {
        List<String> nodes;
        try {
            nodes = only != null ? List.of(only) : liveNodes.get();
        } catch (ClusterUnavailableException e) {
            g.future.completeExceptionally(e);
            return;
        }
        g.expect(nodes);
        for (String node : nodes) {
            if (node.equals(nodeId)) {
                handle(kind, query).whenComplete((answer, e) -> g.answer(nodeId, answer));
                continue;
            }
            try {
                bus.sendToNode(
                        node,
                        ControlMessage.newBuilder()
                                .setCall(NodeCall.newBuilder()
                                        .setCallId(id)
                                        .setFromNode(nodeId)
                                        .setKind(kind)
                                        .setQuery(ByteString.copyFrom(query)))
                                .build()
                                .toByteArray());
            } catch (ClusterUnavailableException e) {
                log.warn("cluster call {} to {} not sent: {}", kind, node, e.getMessage());
            }
        }
    }

    /** Runs the kind's handler; completes with null (no answer) when there is none or it fails. */
    private CompletableFuture<byte[]> handle(String kind, byte[] query) {
        Function<byte[], CompletableFuture<byte[]>> h = handlers.get(kind);
        if (h == null) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return h.apply(query).exceptionally(e -> {
                log.error("serving cluster call {} failed", kind, e);
                return null;
            });
        } catch (RuntimeException e) {
            log.error("serving cluster call {} failed", kind, e);
            return CompletableFuture.completedFuture(null);
        }
    }

    /** On the bus thread: a question for this node, an answer to one of its calls, or a membership change. */
    private void received(byte[] bytes) {
        ControlMessage message;
        try {
            message = ControlMessage.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            log.warn("malformed control message ignored: {}", e.toString());
            return;
        }
        try {
            switch (message.getBodyCase()) {
                case CALL -> {
                    NodeCall call = message.getCall();
                    serving.execute(() -> {
                        CompletableFuture<byte[]> answer =
                                handle(call.getKind(), call.getQuery().toByteArray());
                        if (answer.isDone()) {
                            answer(call, answer.getNow(null));
                        } else {
                            // a later answer may complete on any thread (a tick thread): it is sent from the calls
                            // thread
                            answer.thenAcceptAsync(a -> answer(call, a), this::onCallsThread);
                        }
                    });
                }
                case ANSWER -> {
                    NodeAnswer a = message.getAnswer();
                    Gathering g = pending.get(a.getCallId());
                    if (g != null) {
                        g.answer(a.getFromNode(), a.getAnswer().toByteArray());
                    }
                }
                case MEMBERSHIP_CHANGED -> membership.accept(message.getMembershipChanged());
                case BODY_NOT_SET -> log.warn("control message of an unknown kind ignored (a newer node?)");
            }
        } catch (RejectedExecutionException e) {
            log.warn("cluster call dropped: {} calls already queued on this node", MAX_QUEUED);
        } catch (RuntimeException e) {
            log.warn("control message failed: {}", e.toString());
        }
    }

    private void onCallsThread(Runnable r) {
        try {
            serving.execute(r);
        } catch (RejectedExecutionException e) {
            log.warn("answer to a cluster call dropped: {} calls already queued on this node", MAX_QUEUED);
        }
    }

    private void answer(NodeCall call, byte[] answer) {
        if (answer == null) {
            return;
        }
        try {
            bus.sendToNode(
                    call.getFromNode(),
                    ControlMessage.newBuilder()
                            .setAnswer(NodeAnswer.newBuilder()
                                    .setCallId(call.getCallId())
                                    .setFromNode(nodeId)
                                    .setAnswer(ByteString.copyFrom(answer)))
                            .build()
                            .toByteArray());
        } catch (ClusterUnavailableException e) {
            log.warn("answer to {} not sent: {}", call.getFromNode(), e.getMessage());
        }
    }

    /** Calls in flight (a leak check: 0 when idle). */
    public int pending() {
        return pending.size();
    }

    @Override
    public void close() {
        serving.shutdownNow();
        timer.shutdownNow();
        pending.values().forEach(Gathering::finish);
    }

    private static final class Gathering {
        final CompletableFuture<Gathered> future = new CompletableFuture<>();
        private final Map<String, byte[]> answers = new TreeMap<>();
        private Set<String> expected;

        synchronized void expect(List<String> nodes) {
            expected = new java.util.TreeSet<>(nodes);
            complete(false);
        }

        synchronized void answer(String node, byte[] body) {
            if (body != null) {
                answers.put(node, body);
            }
            complete(false);
        }

        synchronized void finish() {
            complete(true);
        }

        private void complete(boolean deadline) {
            if (future.isDone() || (expected == null && !deadline)) {
                return;
            }
            List<String> missing = new ArrayList<>();
            if (expected != null) {
                for (String n : expected) {
                    if (!answers.containsKey(n)) {
                        missing.add(n);
                    }
                }
            }
            if (deadline || missing.isEmpty()) {
                future.complete(new Gathered(
                        java.util.Collections.unmodifiableMap(new TreeMap<>(answers)), List.copyOf(missing)));
            }
        }
    }
}
