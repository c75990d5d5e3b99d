package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.MessageBus;
import io.tickroom.server.thread.NodeThreads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The bus on Redis pub/sub: one channel per stream ({@code {stream}:ch}, on the stream's slot).
 * Publishing is one Lua script on that slot (count listeners, drop stale lobby states, INCR the
 * stream's seq, append to its replay log, publish), so the seq order is the delivery order on
 * every node. Each node also has a control channel ({@code {node:ID}:ctl}) for {@link #sendToNode}.
 *
 * <p>On a single Redis the channels are classic (PUBLISH, one SUBSCRIBE connection: {@link
 * ClassicSubscriber}); on a Redis Cluster they are shard channels (SPUBLISH costs the stream's
 * shard only, where a classic PUBLISH is broadcast to every node of the cluster; one SSUBSCRIBE
 * connection per master: {@link ShardedSubscriber}).
 */
final class RedisMessageBus implements MessageBus {
    private static final Logger log = LoggerFactory.getLogger(RedisMessageBus.class);
    private static final long CONFIRM_MS = 1_000;
    /** How often a sharded subscriber re-reads the slot map when nothing made it look sooner. */
    static final long TOPOLOGY_REFRESH_MS = 1_000;

    private static final String PUBLISH_RAW = "return redis.call(ARGV[1], KEYS[1], ARGV[2])";

    private final UnifiedJedis redis;
    private final Keys keys;
    private final boolean sharded;
    private final Script script;
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final String control;
    private final Subscriber subscriber;
    private final byte[] replayDepth;
    private final byte[] replayTtlMs;
    private final byte[] mode;
    private final RedisStats stats;
    private final NodeThreads threads;
    private volatile Delivery handler = (s, q, b) -> {};
    private volatile Consumer<byte[]> nodeHandler = m -> {};
    private volatile Runnable onReconnect = () -> {};

    /**
     * Pushes are kept for resume: about {@code replayDepth} per stream, for {@code replayTtlMs}
     * after the last. {@code servers}: the one Redis, or (sharded) the cluster's seed nodes. The
     * subscriber threads come from {@code threads} and connect from {@link #start}.
     */
    RedisMessageBus(
            UnifiedJedis redis,
            List<HostAndPort> servers,
            boolean sharded,
            String prefix,
            String nodeId,
            int replayDepth,
            long replayTtlMs,
            RedisStats stats,
            NodeThreads threads) {
        this.threads = threads;
        this.stats = stats;
        this.redis = redis;
        this.sharded = sharded;
        this.keys = new Keys(prefix);
        this.replayDepth = Integer.toString(replayDepth).getBytes(StandardCharsets.US_ASCII);
        this.replayTtlMs = Long.toString(replayTtlMs).getBytes(StandardCharsets.US_ASCII);
        this.mode = (sharded ? "sharded" : "classic").getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = RedisMessageBus.class.getResourceAsStream("bus-publish.lua")) {
            this.script = new Script(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing bus-publish.lua", e);
        }
        this.control = keys.nodeControl(nodeId);
        Subscriber.Wanted wanted = () -> {
            List<String> out = new ArrayList<>(streams.size() + 1);
            out.add(control);
            streams.forEach(s -> out.add(keys.channel(s)));
            return out;
        };
        Subscriber.Sink sink = new Subscriber.Sink() {
            @Override
            public void message(String channel, byte[] body) {
                deliver(channel, body);
            }

            @Override
            public void reconnected() {
                threads.newThread("rejoin", () -> {
                            try {
                                onReconnect.run();
                            } catch (RuntimeException e) {
                                log.error("reconnect action failed", e);
                            }
                        })
                        .start();
            }
        };
        this.subscriber = sharded
                ? new ShardedSubscriber(servers, prefix, wanted, sink, threads, TOPOLOGY_REFRESH_MS)
                : new ClassicSubscriber(servers.get(0), wanted, sink, this::dropIdleConnections, threads);
    }

    /** Starts the subscriber: it connects, subscribes, and reconnects whenever Redis goes away. Once. */
    void start() {
        subscriber.start();
    }

    @Override
    public long publish(String stream, long version, byte[] body) {
        long t0 = System.nanoTime();
        boolean failed = true;
        try {
            List<?> r = (List<?>) script.evalBytes(
                    redis,
                    List.of(keys.stream(stream).getBytes(StandardCharsets.UTF_8)),
                    List.of(
                            Long.toString(version).getBytes(StandardCharsets.UTF_8),
                            body,
                            replayDepth,
                            replayTtlMs,
                            mode));
            long listeners = ((Number) r.get(1)).longValue();
            if (listeners == 0 && sharded && streams.contains(stream)) {
                // this node listens to the stream, yet its shard has no subscriber: a failover or
                // slot move has moved the slot and the subscriptions have not followed yet. The
                // push reached nobody (and was not numbered): say so, rather than OK
                throw new ClusterUnavailableException(
                        "message bus: " + stream + "'s subscribers are moving to its slot's new master", null);
            }
            failed = false;
            return listeners;
        } catch (JedisException e) {
            throw new ClusterUnavailableException("message bus unavailable: " + e.getMessage(), e);
        } finally {
            stats.record(t0, failed);
        }
    }

    /**
     * Subscribes and waits (at most a second) for Redis to confirm, so a push published right
     * after a member joins already reaches this node.
     */
    @Override
    public void listen(String stream) {
        if (streams.add(stream)) {
            subscriber.subscribe(keys.channel(stream), CONFIRM_MS);
        }
    }

    @Override
    public void unlisten(String stream) {
        if (streams.remove(stream)) {
            subscriber.unsubscribe(keys.channel(stream));
        }
    }

    @Override
    public void raise(String stream, long seq) {
        try {
            redis.eval(
                    "local c = tonumber(redis.call('GET', KEYS[1]) or '0') "
                            + "if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1]) end return 1",
                    List.of(keys.seq(stream)),
                    List.of(Long.toString(seq)));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("message bus unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void onReconnect(Runnable action) {
        this.onReconnect = action;
    }

    @Override
    public void sendToNode(String nodeId, byte[] message) {
        try {
            redis.eval(
                    PUBLISH_RAW.getBytes(StandardCharsets.UTF_8),
                    List.of(keys.nodeControl(nodeId).getBytes(StandardCharsets.UTF_8)),
                    List.of((sharded ? "SPUBLISH" : "PUBLISH").getBytes(StandardCharsets.US_ASCII), message));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("message bus unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void onNodeMessage(Consumer<byte[]> h) {
        this.nodeHandler = h;
    }

    @Override
    public void onDelivery(Delivery h) {
        this.handler = h;
    }

    @Override
    public int listening() {
        return streams.size();
    }

    @Override
    public boolean awaitUp(long timeoutMs) {
        return subscriber.awaitUp(timeoutMs);
    }

    @Override
    public boolean isUp() {
        return subscriber.isUp();
    }

    /** On a subscriber thread: a control message, or a numbered push ("seq\nbody"). */
    private void deliver(String channel, byte[] message) {
        if (channel.equals(control)) {
            try {
                nodeHandler.accept(message);
            } catch (RuntimeException e) {
                log.error("control message failed", e);
            }
            return;
        }
        String stream = keys.streamOfChannel(channel);
        if (stream == null) {
            return;
        }
        int nl = 0;
        while (nl < message.length && message[nl] != '\n') {
            nl++;
        }
        long seq = Long.parseLong(new String(message, 0, nl, StandardCharsets.US_ASCII));
        try {
            handler.deliver(stream, seq, Arrays.copyOfRange(message, nl + 1, message.length));
        } catch (RuntimeException e) {
            log.error("delivering {} #{} failed", stream, seq, e);
        }
    }

    /**
     * Redis went away: the pool's idle connections lead to the old server, and each would fail
     * the next request that borrows it once Redis is back (UNAVAILABLE for a chat right after a
     * restart). They are closed now; requests open new ones.
     */
    private void dropIdleConnections() {
        if (redis instanceof redis.clients.jedis.RedisClient pooled) {
            try {
                pooled.getPool().clear();
            } catch (RuntimeException e) {
                log.debug("clearing the connection pool failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        subscriber.close();
    }
}
