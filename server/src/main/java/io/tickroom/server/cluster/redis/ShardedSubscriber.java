package io.tickroom.server.cluster.redis;

import io.tickroom.server.thread.NodeThreads;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.BinaryJedisShardedPubSub;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.resps.ClusterShardInfo;
import redis.clients.jedis.resps.ClusterShardNodeInfo;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Sharded pub/sub on a Redis Cluster: one SSUBSCRIBE connection per master, each on its own
 * thread, holding the wanted channels whose slots that master owns (a shard channel is served by
 * its slot's master only), plus an anchor channel of its own so that every connection is
 * confirmed up even when it holds nothing else.
 *
 * <p>Topology. The slot map (CLUSTER SHARDS, asked of any node that answers: the known masters,
 * then the seeds) is read at start, every {@code refreshMs}, and at once whenever a shard
 * connection is lost, redirected (MOVED) or told by the server that its channel's slot moved
 * (a server-sent SUNSUBSCRIBE). A new map starts connections to new masters, closes those to
 * nodes that are masters no more, and moves every wanted channel whose slot changed owner. So a
 * failover is followed without a restart: the dead master's connection fails, the next maps show
 * its replica promoted, and its channels are subscribed there. While a shard's connection is down
 * its channels' messages are missed; once every shard is up again after a loss the sink is told
 * ({@link Sink#reconnected}), as after a single Redis's outage.
 *
 * <p>While a shard is down the map is read every {@code refreshMs / 5}. Refresh requests are a queue of one (coalesced: a request while one is pending adds nothing).
 */
final class ShardedSubscriber implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(ShardedSubscriber.class);
    private static final int SLOTS = 16_384;

    private final List<HostAndPort> seeds;
    private final String anchorPrefix;
    private final Wanted wanted;
    private final Sink sink;
    private final NodeThreads threads;
    private final long refreshMs;
    private final JedisClientConfig subscriberConfig = DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP2)
            .connectionTimeoutMillis(1_000)
            .socketTimeoutMillis(0)
            .build();
    private final JedisClientConfig probeConfig = DefaultJedisClientConfig.builder()
            .protocol(RedisProtocol.RESP2)
            .connectionTimeoutMillis(500)
            .socketTimeoutMillis(1_000)
            .build();
    private final Map<HostAndPort, Shard> shards = new ConcurrentHashMap<>();
    /** Which shard each wanted channel was last subscribed on. */
    private final Map<String, HostAndPort> placed = new ConcurrentHashMap<>();

    private final Confirmations confirming = new Confirmations();
    private final BlockingQueue<Boolean> refreshRequests = new ArrayBlockingQueue<>(1);
    private final Set<Thread> ownThreads = ConcurrentHashMap.newKeySet();
    private final Thread topologyThread;
    private final Object upLock = new Object();
    private volatile HostAndPort[] owner;
    /** The masters of {@link #owner}: up means each of them has a shard connection that is up. */
    private volatile Set<HostAndPort> masters = Set.of();

    private volatile boolean lost;
    private volatile boolean closed;

    ShardedSubscriber(
            List<HostAndPort> seeds, String prefix, Wanted wanted, Sink sink, NodeThreads threads, long refreshMs) {
        this.seeds = List.copyOf(seeds);
        this.anchorPrefix = prefix + "{anchor:";
        this.wanted = wanted;
        this.sink = sink;
        this.threads = threads;
        this.refreshMs = refreshMs;
        this.topologyThread = threads.newThread("bus-topology", this::followTopology);
        ownThreads.add(topologyThread);
    }

    @Override
    public void start() {
        topologyThread.start();
    }

    private void requestRefresh() {
        refreshRequests.offer(Boolean.TRUE); // coalesced: one pending request is enough
    }

    private void followTopology() {
        while (!closed) {
            try {
                refresh();
            } catch (RuntimeException e) {
                log.warn("cluster topology not read: {}", e.toString());
            }
            try {
                // a shard down (a failover under way): look five times as often until it is back
                boolean allUp = shards.values().stream().allMatch(Shard::isUp);
                refreshRequests.poll(allUp ? refreshMs : Math.max(50, refreshMs / 5), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Reads the slot map and, when it changed, moves connections and channels to follow it. */
    private void refresh() {
        HostAndPort[] map = readSlots();
        if (map == null) {
            log.warn("no cluster node answered CLUSTER SHARDS");
            return;
        }
        HostAndPort[] before = owner;
        if (before != null && java.util.Arrays.equals(before, map)) {
            for (String channel : wanted.channels()) {
                if (!placed.containsKey(channel)) {
                    place(channel); // dropped by its shard (slot moved) or not up when listened to
                }
            }
            return;
        }
        Set<HostAndPort> masters = new HashSet<>();
        for (HostAndPort hp : map) {
            if (hp != null) {
                masters.add(hp);
            }
        }
        // the new masters before the new map: nobody sees "up" while a master has no shard yet
        this.masters = Set.copyOf(masters);
        owner = map;
        log.info("cluster topology: {} masters {}", masters.size(), masters);
        for (Map.Entry<HostAndPort, Shard> e : shards.entrySet()) {
            if (!masters.contains(e.getKey())) {
                shards.remove(e.getKey());
                e.getValue().retire();
            }
        }
        for (HostAndPort hp : masters) {
            shards.computeIfAbsent(hp, h -> {
                Shard s = new Shard(h);
                s.start();
                return s;
            });
        }
        for (String channel : wanted.channels()) {
            place(channel);
        }
        upChanged();
    }

    /** Subscribes {@code channel} on its slot's master, off the one it was on if that changed. */
    private Shard place(String channel) {
        HostAndPort[] map = owner;
        if (map == null) {
            return null;
        }
        HostAndPort to = map[JedisClusterCRC16.getSlot(channel)];
        HostAndPort from = placed.put(channel, to);
        if (from != null && !from.equals(to)) {
            Shard old = shards.get(from);
            if (old != null) {
                old.unsubscribe(channel);
            }
        }
        Shard s = to == null ? null : shards.get(to);
        if (s != null && (from == null || !from.equals(to))) {
            s.subscribe(channel);
        }
        return s;
    }

    private HostAndPort[] readSlots() {
        Set<HostAndPort> candidates = new LinkedHashSet<>(shards.keySet());
        candidates.addAll(seeds);
        for (HostAndPort hp : candidates) {
            try (Jedis j = new Jedis(hp, probeConfig)) {
                HostAndPort[] map = new HostAndPort[SLOTS];
                for (ClusterShardInfo shard : j.clusterShards()) {
                    HostAndPort m = null;
                    for (ClusterShardNodeInfo n : shard.getNodes()) {
                        if ("master".equals(n.getRole()) && (m == null || "online".equals(n.getHealth()))) {
                            String host = n.getIp() == null || n.getIp().isEmpty() ? hp.getHost() : n.getIp();
                            m = new HostAndPort(host, n.getPort().intValue());
                        }
                    }
                    for (List<Long> range : shard.getSlots()) {
                        for (long slot = range.get(0); slot <= range.get(1); slot++) {
                            map[(int) slot] = m;
                        }
                    }
                }
                return map;
            } catch (RuntimeException e) {
                log.debug("CLUSTER SHARDS on {} failed: {}", hp, e.toString());
            }
        }
        return null;
    }

    @Override
    public void subscribe(String channel, long timeoutMs) {
        if (!awaitUp(timeoutMs)) {
            log.warn("message bus subscriber not up; {} will be subscribed when it is", channel);
            return;
        }
        if (ownThreads.contains(Thread.currentThread())) {
            place(channel); // a subscriber thread cannot wait for its own confirmation
            return;
        }
        confirming.await(channel, timeoutMs, () -> {
            Shard s = place(channel);
            if (s != null) {
                s.subscribe(channel); // place() subscribes only on a move; this one is new
            }
        });
    }

    @Override
    public void unsubscribe(String channel) {
        HostAndPort at = placed.remove(channel);
        Shard s = at == null ? null : shards.get(at);
        if (s != null) {
            s.unsubscribe(channel);
        }
    }

    @Override
    public boolean isUp() {
        Set<HostAndPort> now = masters;
        if (owner == null || now.isEmpty()) {
            return false;
        }
        for (HostAndPort m : now) {
            Shard s = shards.get(m);
            if (s == null || !s.isUp()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean awaitUp(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (upLock) {
            while (!isUp()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || closed) {
                    return false;
                }
                try {
                    upLock.wait(Math.min(left, 100));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** A shard went up or down: waiters look again; after a loss, every shard up again is a reconnection. */
    private void upChanged() {
        synchronized (upLock) {
            upLock.notifyAll();
        }
        if (lost && isUp()) {
            lost = false;
            sink.reconnected();
        }
    }

    @Override
    public void close() {
        closed = true;
        topologyThread.interrupt();
        shards.values().forEach(Shard::retire);
        shards.clear();
        synchronized (upLock) {
            upLock.notifyAll();
        }
    }

    /** The connection to one master and the channels of its slots. */
    private final class Shard {
        private final HostAndPort master;
        private final Thread thread;
        private final Object writeLock = new Object();
        /** Channels this node asked to leave here: their SUNSUBSCRIBE is not a slot move. */
        private final Set<String> leaving = ConcurrentHashMap.newKeySet();
        /**
         * Channels subscribed when the connection came up and not yet confirmed: the shard is up
         * only once they are, so a node told "up" receives what is published to it next (its
         * control channel above all).
         */
        private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

        private volatile Subscription subscription;
        private volatile Connection connection;
        private volatile String anchor;
        private volatile boolean up;
        private volatile boolean retired;

        Shard(HostAndPort master) {
            this.master = master;
            this.thread = threads.newThread("bus-" + master.getPort(), this::run);
            ownThreads.add(thread);
        }

        void start() {
            thread.start();
        }

        boolean isUp() {
            Subscription s = subscription;
            return up && s != null && s.isSubscribed();
        }

        /** A channel of one of this master's slots, to hold the connection up. */
        private String anchorOf(HostAndPort[] map) {
            for (int i = 0; ; i++) {
                String name = anchorPrefix + i + "}";
                if (master.equals(map[JedisClusterCRC16.getSlot(name)])) {
                    return name;
                }
            }
        }

        private List<byte[]> owned(HostAndPort[] map) {
            List<byte[]> out = new ArrayList<>();
            for (String c : wanted.channels()) {
                if (master.equals(map[JedisClusterCRC16.getSlot(c)])) {
                    out.add(c.getBytes(StandardCharsets.UTF_8));
                    placed.put(c, master);
                }
            }
            return out;
        }

        private void run() {
            long backoffMs = 100;
            while (!closed && !retired) {
                HostAndPort[] map = owner;
                try (Connection c = new Connection(master, subscriberConfig)) {
                    connection = c;
                    Subscription s = new Subscription();
                    subscription = s;
                    anchor = anchorOf(map);
                    // SSUBSCRIBE takes channels of one slot only: the anchor first, then (once it
                    // is confirmed) the owned channels one command each (Subscription.onSSubscribe)
                    s.proceed(c, anchor.getBytes(StandardCharsets.UTF_8));
                    backoffMs = 100;
                } catch (RuntimeException e) {
                    if (closed || retired) {
                        break;
                    }
                    log.warn("shard subscriber on {} lost ({}); retrying in {} ms", master, e.toString(), backoffMs);
                } finally {
                    connection = null;
                    if (up) {
                        up = false;
                        lost = true;
                        upChanged();
                    }
                }
                requestRefresh();
                try {
                    Thread.sleep(backoffMs); // a reconnect backoff, not a wait for an event
                } catch (InterruptedException ie) {
                    break;
                }
                backoffMs = Math.min(backoffMs * 2, 1_000);
            }
            ownThreads.remove(thread);
        }

        void subscribe(String channel) {
            leaving.remove(channel);
            Subscription s = subscription;
            if (s != null && s.isSubscribed()) {
                write(() -> s.ssubscribe(channel.getBytes(StandardCharsets.UTF_8)));
            }
        }

        void unsubscribe(String channel) {
            Subscription s = subscription;
            if (s != null && s.isSubscribed()) {
                leaving.add(channel);
                write(() -> s.sunsubscribe(channel.getBytes(StandardCharsets.UTF_8)));
            }
        }

        /** Jedis does not serialize writers on a subscription connection: one lock (see ClassicSubscriber). */
        private void write(Runnable command) {
            synchronized (writeLock) {
                try {
                    command.run();
                } catch (RuntimeException e) {
                    log.debug("shard subscription command on {} failed ({})", master, e.toString());
                }
            }
        }

        /** No longer a master (or closing): the connection goes; its channels are placed elsewhere. */
        void retire() {
            retired = true;
            disconnect();
            thread.interrupt();
        }

        private void disconnect() {
            Connection c = connection;
            if (c != null) {
                try {
                    c.disconnect();
                } catch (RuntimeException e) {
                    // going anyway
                }
            }
        }

        private final class Subscription extends BinaryJedisShardedPubSub {
            @Override
            public void onSSubscribe(byte[] channel, int count) {
                String name = new String(channel, StandardCharsets.UTF_8);
                confirming.confirmed(name);
                if (name.equals(anchor) && !up) {
                    // channels wanted while we were connecting are picked up here; the shard is
                    // up once the server has confirmed every one of them
                    unconfirmed.clear();
                    List<byte[]> owned = owned(owner);
                    for (byte[] c : owned) {
                        unconfirmed.add(new String(c, StandardCharsets.UTF_8));
                    }
                    for (byte[] c : owned) {
                        write(() -> ssubscribe(c));
                    }
                } else {
                    unconfirmed.remove(name);
                }
                if (!up && unconfirmed.isEmpty()) {
                    up = true;
                    upChanged();
                }
            }

            @Override
            public void onSUnsubscribe(byte[] channel, int count) {
                String name = new String(channel, StandardCharsets.UTF_8);
                if (leaving.remove(name) || closed || retired) {
                    return;
                }
                // the server dropped it: its slot moved. Read the map again; the anchor's loss
                // means this connection must start over
                log.info("shard {} dropped {} (slot moved)", master, name);
                requestRefresh();
                placed.remove(name);
                if (name.equals(anchor)) {
                    disconnect();
                }
            }

            @Override
            public void onSMessage(byte[] channel, byte[] message) {
                sink.message(new String(channel, StandardCharsets.UTF_8), message);
            }
        }
    }
}
