package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.MessageBus;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The bus on Redis pub/sub: one channel per stream ({@code ch:{stream}}). Publishing is one Lua
 * script (count listeners, drop stale lobby states, INCR the stream's seq, PUBLISH), so the seq
 * order is the delivery order on every node. One subscriber connection per node on its own
 * thread; when Redis goes away it reconnects with a capped backoff and resubscribes every stream
 * the node still listens to.
 *
 * <p>Classic pub/sub, not sharded: on a single Redis (what this directory supports) the two are
 * the same; sharded pub/sub matters once streams are spread over a Redis Cluster.
 */
final class RedisMessageBus implements MessageBus {
    private static final Logger log = LoggerFactory.getLogger(RedisMessageBus.class);

    private final UnifiedJedis redis;
    private final URI uri;
    private final String prefix;
    private final byte[] script;
    private final Set<String> streams = ConcurrentHashMap.newKeySet();
    private final java.util.Map<String, java.util.concurrent.CompletableFuture<Void>> confirming =
            new ConcurrentHashMap<>();
    private final Thread subscriber;
    private volatile Delivery handler = (s, q, b) -> {};
    private volatile java.util.function.Consumer<byte[]> nodeHandler = m -> {};
    private final String control;
    private final Object writeLock = new Object();
    private volatile Runnable onReconnect = () -> {};
    private volatile boolean wasUp;
    private volatile Subscription subscription;
    /** Completes when the current subscriber connection is up (its control channel confirmed). */
    private volatile java.util.concurrent.CompletableFuture<Void> up = new java.util.concurrent.CompletableFuture<>();

    private volatile boolean closed;

    private final byte[] replayDepth;
    private final byte[] replayTtlMs;

    /** Pushes are kept for resume: about {@code replayDepth} per stream, for {@code replayTtlMs} after the last. */
    private final RedisStats stats;

    private final io.tickroom.server.thread.NodeThreads threads;

    /** The subscriber thread comes from {@code threads} and connects from {@link #start}. */
    RedisMessageBus(
            UnifiedJedis redis,
            URI uri,
            String prefix,
            String nodeId,
            int replayDepth,
            long replayTtlMs,
            RedisStats stats,
            io.tickroom.server.thread.NodeThreads threads) {
        this.threads = threads;
        this.stats = stats;
        this.redis = redis;
        this.replayDepth = Integer.toString(replayDepth).getBytes(StandardCharsets.US_ASCII);
        this.replayTtlMs = Long.toString(replayTtlMs).getBytes(StandardCharsets.US_ASCII);
        this.uri = uri;
        this.prefix = prefix;
        try (InputStream in = RedisMessageBus.class.getResourceAsStream("bus-publish.lua")) {
            this.script = in.readAllBytes();
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing bus-publish.lua", e);
        }
        this.control = prefix + "node:" + nodeId;
        this.subscriber = threads.newThread("bus", () -> run(control));
    }

    /** Starts the subscriber: it connects, subscribes, and reconnects whenever Redis goes away. Once. */
    void start() {
        subscriber.start();
    }

    private byte[] channel(String stream) {
        return (prefix + "ch:" + stream).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public long publish(String stream, long version, byte[] body) {
        long t0 = System.nanoTime();
        boolean failed = true;
        try {
            List<?> r = (List<?>) redis.eval(
                    script,
                    List.of(),
                    List.of(
                            prefix.getBytes(StandardCharsets.UTF_8),
                            stream.getBytes(StandardCharsets.UTF_8),
                            Long.toString(version).getBytes(StandardCharsets.UTF_8),
                            body,
                            replayDepth,
                            replayTtlMs));
            failed = false;
            return ((Number) r.get(1)).longValue();
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
            try {
                // right after start (or a reconnect) the subscriber may not be up yet
                up.get(1, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("message bus subscriber not up; {} will be subscribed when it is", stream);
                return;
            }
            Subscription s = subscription;
            if (s != null && s.isSubscribed() && Thread.currentThread() == subscriber) {
                write(() -> s.subscribe(
                        channel(stream))); // on the bus thread itself: it cannot wait for its own confirmation
            } else if (s != null && s.isSubscribed()) {
                String name = prefix + "ch:" + stream;
                java.util.concurrent.CompletableFuture<Void> confirmed = new java.util.concurrent.CompletableFuture<>();
                confirming.put(name, confirmed);
                write(() -> s.subscribe(channel(stream)));
                try {
                    confirmed.get(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("subscription to {} not confirmed within 1 s", stream);
                } finally {
                    confirming.remove(name, confirmed);
                }
            }
        }
    }

    /**
     * Writes a (un)subscribe command on the subscription connection. Jedis does not serialize
     * writers: concurrent commands from several threads interleave on the socket and Redis drops
     * the connection, so every write goes through this lock. A failed write is not the caller's
     * problem: the connection is gone, the subscriber thread reconnects and subscribes what the
     * node still listens to.
     */
    private void write(Runnable command) {
        synchronized (writeLock) {
            try {
                command.run();
            } catch (RuntimeException e) {
                log.debug("subscription command failed ({}); the subscriber reconnects", e.toString());
            }
        }
    }

    @Override
    public void unlisten(String stream) {
        if (streams.remove(stream)) {
            Subscription s = subscription;
            if (s != null && s.isSubscribed()) {
                write(() -> s.unsubscribe(channel(stream)));
            }
        }
    }

    @Override
    public void raise(String stream, long seq) {
        try {
            redis.eval(
                    "local c = tonumber(redis.call('GET', ARGV[1]) or '0') "
                            + "if c < tonumber(ARGV[2]) then redis.call('SET', ARGV[1], ARGV[2]) end return 1",
                    List.of(),
                    List.of(prefix + "seq:" + stream, Long.toString(seq)));
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
            redis.publish((prefix + "node:" + nodeId).getBytes(StandardCharsets.UTF_8), message);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("message bus unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void onNodeMessage(java.util.function.Consumer<byte[]> h) {
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
        try {
            up.get(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
            return isUp();
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public boolean isUp() {
        Subscription s = subscription;
        return up.isDone() && s != null && s.isSubscribed();
    }

    /** Subscriber thread: subscribe, block reading, and on any failure reconnect and resubscribe. */
    private void run(String control) {
        long backoffMs = 100;
        while (!closed) {
            try (Jedis jedis = new Jedis(
                    new HostAndPort(uri.getHost(), uri.getPort()),
                    DefaultJedisClientConfig.builder()
                            .protocol(RedisProtocol.RESP2)
                            .connectionTimeoutMillis(1_000)
                            .socketTimeoutMillis(0)
                            .build())) {
                Subscription s = new Subscription();
                if (up.isDone()) {
                    up = new java.util.concurrent.CompletableFuture<>();
                }
                subscription = s;
                byte[][] channels = new byte[streams.size() + 1][];
                channels[0] = control.getBytes(StandardCharsets.UTF_8);
                int i = 1;
                for (String st : streams) {
                    channels[i++] = channel(st);
                    if (i == channels.length) {
                        break;
                    }
                }
                jedis.subscribe(s, i == channels.length ? channels : Arrays.copyOf(channels, i));
                backoffMs = 100;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (up.isDone()) {
                    up = new java.util.concurrent.CompletableFuture<>(); // down until resubscribed
                    backoffMs = 100; // it was up: a new outage starts the backoff again
                    dropIdleConnections();
                }
                log.warn("message bus subscriber lost Redis ({}); retrying in {} ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 2_000);
            }
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

    private final class Subscription extends BinaryJedisPubSub {
        @Override
        public void onSubscribe(byte[] channel, int count) {
            var confirmed = confirming.get(new String(channel, StandardCharsets.UTF_8));
            if (confirmed != null) {
                confirmed.complete(null);
            }
            // streams listened to while we were (re)connecting are picked up here
            if (count == 1) {
                for (String st : streams) {
                    write(() -> subscribe(channel(st)));
                }
                up.complete(null);
                if (wasUp) {
                    threads.newThread("rejoin", () -> {
                                try {
                                    onReconnect.run();
                                } catch (RuntimeException e) {
                                    log.error("reconnect action failed", e);
                                }
                            })
                            .start();
                }
                wasUp = true;
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            String name = new String(channel, StandardCharsets.UTF_8);
            if (name.equals(control)) {
                try {
                    nodeHandler.accept(message);
                } catch (RuntimeException e) {
                    log.error("control message failed", e);
                }
                return;
            }
            int cut = prefix.length() + 3;
            if (!name.startsWith(prefix + "ch:")) {
                return;
            }
            String stream = name.substring(cut);
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
    }

    @Override
    public void close() {
        closed = true;
        Subscription s = subscription;
        if (s != null && s.isSubscribed()) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                // the connection is going anyway
            }
        }
        subscriber.interrupt();
    }
}
