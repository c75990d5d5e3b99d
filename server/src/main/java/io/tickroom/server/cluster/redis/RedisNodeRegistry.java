package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.NodeRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Nodes in Redis. {@code node:{id}} holds "url|sessions|matches" with a TTL renewed every
 * {@code renewMs}; {@code nodes} is the set of registered ids; {@code node:{id}:users} the users
 * whose lobby-holding sessions are on that node; {@code presence:{uid}} the nodes a user is on.
 * Every renewal also checks the registered ids: one whose key has expired is claimed with SREM —
 * only the node whose SREM returns 1 cleans up, so the clean-up runs once whichever node notices
 * first. After a Redis outage the node re-registers and re-declares its present users on the
 * next renewal (or the next after {@link #redeclare}: Redis may have restarted empty between two
 * renewals without either failing).
 */
final class RedisNodeRegistry implements NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistry.class);

    private final UnifiedJedis redis;
    private final String prefix;
    private final String nodeId;
    private final long renewMs;
    private final long ttlMs;
    private volatile Supplier<NodeInfo> self;
    private volatile DeadNodeHandler onDead;
    private final java.util.Set<String> localUsers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private volatile boolean registeredOk;

    RedisNodeRegistry(UnifiedJedis redis, String prefix, String nodeId, long renewMs, long ttlMs) {
        this.redis = redis;
        this.prefix = prefix;
        this.nodeId = nodeId;
        this.renewMs = renewMs;
        this.ttlMs = ttlMs;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickroom-nodes-" + nodeId);
            t.setDaemon(true);
            return t;
        });
    }

    /** Registers now and then every {@code renewMs}, each round also looking for dead nodes. */
    @Override
    public void start(Supplier<NodeInfo> self, DeadNodeHandler onDead) {
        this.self = self;
        this.onDead = onDead;
        timer.scheduleWithFixedDelay(this::renew, 0, renewMs, TimeUnit.MILLISECONDS);
    }

    private String nodeKey(String id) {
        return prefix + "node:" + id;
    }

    private void renew() {
        try {
            NodeInfo me = self.get();
            redis.set(nodeKey(nodeId), me.url() + "|" + me.sessions() + "|" + me.matches(), SetParams.setParams().px(ttlMs));
            redis.sadd(prefix + "nodes", nodeId);
            if (!registeredOk) {
                // first registration, or back after an outage: re-declare who is here
                for (String u : localUsers) {
                    redis.sadd(nodeKey(nodeId) + ":users", u);
                    redis.sadd(prefix + "presence:" + u, nodeId);
                }
                registeredOk = true;
            }
            for (String id : redis.smembers(prefix + "nodes")) {
                if (!id.equals(nodeId) && !redis.exists(nodeKey(id)) && redis.srem(prefix + "nodes", id) == 1) {
                    List<String> users = new ArrayList<>(redis.smembers(nodeKey(id) + ":users"));
                    for (String u : users) {
                        redis.srem(prefix + "presence:" + u, id);
                    }
                    redis.del(nodeKey(id) + ":users");
                    boolean stopped = redis.del(nodeKey(id) + ":stopped") == 1;
                    log.warn("node {} {}; cleaning up after its {} users", id, stopped ? "stopped" : "expired", users.size());
                    onDead.nodeDied(id, users, stopped);
                }
            }
        } catch (JedisException e) {
            registeredOk = false;
            log.warn("node registry: Redis unavailable ({})", e.getMessage());
        } catch (RuntimeException e) {
            log.error("node registry round failed", e);
        }
    }

    @Override
    public void redeclare() {
        registeredOk = false;
    }

    @Override
    public void present(String userId) {
        localUsers.add(userId);
        try {
            redis.sadd(nodeKey(nodeId) + ":users", userId);
            redis.sadd(prefix + "presence:" + userId, nodeId);
        } catch (JedisException e) {
            registeredOk = false; // re-declared on the next successful renewal
        }
    }

    @Override
    public void absent(String userId) {
        localUsers.remove(userId);
        try {
            redis.srem(nodeKey(nodeId) + ":users", userId);
            redis.srem(prefix + "presence:" + userId, nodeId);
        } catch (JedisException e) {
            registeredOk = false;
        }
    }

    @Override
    public boolean onlineAnywhere(String userId) {
        try {
            return redis.scard(prefix + "presence:" + userId) > 0;
        } catch (JedisException e) {
            throw new ClusterUnavailableException("node registry unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Set<String> nodesOf(String userId) {
        try {
            return redis.smembers(prefix + "presence:" + userId);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("node registry unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean spansNodes() {
        return true;
    }

    @Override
    public List<NodeInfo> liveNodes() {
        List<NodeInfo> out = new ArrayList<>();
        try {
            for (String id : redis.smembers(prefix + "nodes")) {
                String v = redis.get(nodeKey(id));
                if (v != null) {
                    String[] f = v.split("\\|");
                    out.add(new NodeInfo(id, f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                }
            }
        } catch (JedisException e) {
            throw new ClusterUnavailableException("node registry unavailable: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Leaves: the node key goes at once, and the node stays listed with its users marked as
     * stopped, so that the next survivor to renew takes over its users' held seats (they were told
     * to resume elsewhere) instead of evicting them as a crash would.
     */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            redis.set(nodeKey(nodeId) + ":stopped", "1", SetParams.setParams().px(Math.max(ttlMs * 4, 60_000)));
            redis.del(nodeKey(nodeId));
        } catch (JedisException e) {
            // leaving anyway: the TTL removes the key and a survivor cleans up as after a crash
        }
    }
}
