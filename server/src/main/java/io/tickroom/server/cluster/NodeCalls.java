package io.tickroom.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls from one node to every live node (scatter, then gather within a timeout): what admin
 * queries and commands use. A call is a {@code kind} and a query (bytes); each node answers with
 * bytes from the handler it serves for that kind. The answer always completes by the deadline,
 * with what came back and the live nodes that did not answer: a slow or frozen node is named,
 * never waited for.
 *
 * <p>The messages go over each node's control channel on the {@link MessageBus}; a call to this
 * node itself (single node, the only one) stays in the process. Bounded:
 * at most {@value #MAX_PENDING} calls in flight per node (past it a call fails at once with
 * {@link ClusterUnavailableException}), and a node serves calls on one thread with a queue of
 * {@value #MAX_QUEUED}; a call that finds the queue full is dropped, so the asking node names
 * this node as missing.
 */
public final class NodeCalls implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeCalls.class);
    static final int MAX_PENDING = 256;
    static final int MAX_QUEUED = 256;

    private final String nodeId;
    private final MessageBus bus;
    private final Supplier<List<String>> liveNodes;
    private final Map<String, Function<byte[], byte[]>> handlers = new ConcurrentHashMap<>();
    private final Map<Long, Gathering> pending = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final ThreadPoolExecutor serving;
    private final ScheduledExecutorService timer;

    /**
     * {@code liveNodes} lists the ids of the live nodes, this one included. The calls thread and
     * the timer come from {@code threads} as the first call needs them.
     */
    public NodeCalls(String nodeId, MessageBus bus, Supplier<List<String>> liveNodes,
            io.tickroom.server.thread.NodeThreads threads) {
        this.nodeId = nodeId;
        this.bus = bus;
        this.liveNodes = liveNodes;
        this.serving = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED),
                threads.single("calls"), new ThreadPoolExecutor.AbortPolicy());
        this.timer = Executors.newSingleThreadScheduledExecutor(threads.single("calls-timer"));
        bus.onNodeMessage(this::received);
    }

    /** What every node answered, by node id (sorted), and the live nodes that did not answer in time. */
    public record Gathered(Map<String, byte[]> answers, List<String> missing) {
    }

    /** Serves calls of {@code kind} on this node; the handler runs on the calls thread. */
    public void serve(String kind, Function<byte[], byte[]> handler) {
        handlers.put(kind, handler);
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
            g.future.completeExceptionally(new ClusterUnavailableException("this node is too busy for cluster calls", null));
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
                g.answer(nodeId, handle(kind, query));
                continue;
            }
            try {
                bus.sendToNode(node, message("Q|" + kind + "|" + id + "|" + nodeId, query));
            } catch (ClusterUnavailableException e) {
                log.warn("cluster call {} to {} not sent: {}", kind, node, e.getMessage());
            }
        }
    }

    private byte[] handle(String kind, byte[] query) {
        Function<byte[], byte[]> h = handlers.get(kind);
        if (h == null) {
            return null;
        }
        try {
            return h.apply(query);
        } catch (RuntimeException e) {
            log.error("serving cluster call {} failed", kind, e);
            return null;
        }
    }

    /** On the bus thread: a question for this node, or an answer to one of its calls. */
    private void received(byte[] message) {
        int nl = 0;
        while (nl < message.length && message[nl] != '\n') {
            nl++;
        }
        String[] head = new String(message, 0, nl, StandardCharsets.UTF_8).split("\\|");
        byte[] body = Arrays.copyOfRange(message, Math.min(nl + 1, message.length), message.length);
        try {
            if (head[0].equals("Q") && head.length == 4) {
                String kind = head[1];
                String callId = head[2];
                String asker = head[3];
                serving.execute(() -> {
                    byte[] answer = handle(kind, body);
                    if (answer != null) {
                        try {
                            bus.sendToNode(asker, message("A|" + callId + "|" + nodeId, answer));
                        } catch (ClusterUnavailableException e) {
                            log.warn("answer to {} not sent: {}", asker, e.getMessage());
                        }
                    }
                });
            } else if (head[0].equals("A") && head.length == 3) {
                Gathering g = pending.get(Long.parseLong(head[1]));
                if (g != null) {
                    g.answer(head[2], body);
                }
            }
        } catch (RejectedExecutionException e) {
            log.warn("cluster call dropped: {} calls already queued on this node", MAX_QUEUED);
        } catch (RuntimeException e) {
            log.warn("malformed cluster call message ignored: {}", e.toString());
        }
    }

    private static byte[] message(String head, byte[] body) {
        byte[] h = (head + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, out, h.length, body.length);
        return out;
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
                future.complete(new Gathered(java.util.Collections.unmodifiableMap(new TreeMap<>(answers)), List.copyOf(missing)));
            }
        }
    }
}
