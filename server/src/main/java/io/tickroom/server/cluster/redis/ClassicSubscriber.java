package io.tickroom.server.cluster.redis;

import io.tickroom.server.thread.NodeThreads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisPubSub;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

/**
 * Classic pub/sub on a single Redis: one SUBSCRIBE connection on its own thread; when Redis goes
 * away it reconnects with a capped backoff (100 ms doubling to 2 s) and subscribes every channel
 * still wanted. The first wanted channel (the node's control channel) is always there, so the
 * connection is up once it is confirmed.
 */
final class ClassicSubscriber implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(ClassicSubscriber.class);

    private final HostAndPort server;
    private final Wanted wanted;
    private final Sink sink;
    private final Runnable onLost;
    private final Thread thread;
    private final Object writeLock = new Object();
    private final Confirmations confirming = new Confirmations();
    private volatile Subscription subscription;
    private volatile CompletableFuture<Void> up = new CompletableFuture<>();
    private volatile boolean wasUp;
    private volatile boolean closed;

    /** {@code onLost} runs on the subscriber thread when a connection that was up is lost. */
    ClassicSubscriber(HostAndPort server, Wanted wanted, Sink sink, Runnable onLost, NodeThreads threads) {
        this.server = server;
        this.wanted = wanted;
        this.sink = sink;
        this.onLost = onLost;
        this.thread = threads.newThread("bus", this::run);
    }

    @Override
    public void start() {
        thread.start();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void subscribe(String channel, long timeoutMs) {
        try {
            // right after start (or a reconnect) the subscriber may not be up yet
            up.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("message bus subscriber not up; {} will be subscribed when it is", channel);
            return;
        }
        Subscription s = subscription;
        if (s == null || !s.isSubscribed()) {
            return;
        }
        if (Thread.currentThread() == thread) {
            write(() -> s.subscribe(bytes(channel))); // it cannot wait for its own confirmation
            return;
        }
        confirming.await(channel, timeoutMs, () -> write(() -> s.subscribe(bytes(channel))));
    }

    @Override
    public void unsubscribe(String channel) {
        Subscription s = subscription;
        if (s != null && s.isSubscribed()) {
            write(() -> s.unsubscribe(bytes(channel)));
        }
    }

    /**
     * Writes a (un)subscribe command on the subscription connection. Jedis does not serialize
     * writers: concurrent commands from several threads interleave on the socket and Redis drops
     * the connection, so every write goes through this lock. A failed write is not the caller's
     * problem: the connection is gone, the subscriber thread reconnects and subscribes what is
     * still wanted.
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
    public boolean awaitUp(long timeoutMs) {
        try {
            up.get(timeoutMs, TimeUnit.MILLISECONDS);
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

    private void run() {
        long backoffMs = 100;
        while (!closed) {
            try (Jedis jedis = new Jedis(
                    server,
                    DefaultJedisClientConfig.builder()
                            .protocol(RedisProtocol.RESP2)
                            .connectionTimeoutMillis(1_000)
                            .socketTimeoutMillis(0)
                            .build())) {
                Subscription s = new Subscription();
                if (up.isDone()) {
                    up = new CompletableFuture<>();
                }
                subscription = s;
                List<byte[]> channels = new ArrayList<>();
                wanted.channels().forEach(c -> channels.add(bytes(c)));
                jedis.subscribe(s, channels.toArray(byte[][]::new));
                backoffMs = 100;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                if (up.isDone()) {
                    up = new CompletableFuture<>(); // down until resubscribed
                    backoffMs = 100; // it was up: a new outage starts the backoff again
                    onLost.run();
                }
                log.warn("message bus subscriber lost Redis ({}); retrying in {} ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs); // a reconnect backoff, not a wait for an event
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 2_000);
            }
        }
    }

    private final class Subscription extends BinaryJedisPubSub {
        @Override
        public void onSubscribe(byte[] channel, int count) {
            confirming.confirmed(new String(channel, StandardCharsets.UTF_8));
            // channels wanted while we were (re)connecting are picked up here
            if (count == 1) {
                for (String c : wanted.channels()) {
                    write(() -> subscribe(bytes(c)));
                }
                up.complete(null);
                if (wasUp) {
                    sink.reconnected();
                }
                wasUp = true;
            }
        }

        @Override
        public void onMessage(byte[] channel, byte[] message) {
            sink.message(new String(channel, StandardCharsets.UTF_8), message);
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
        thread.interrupt();
    }
}
