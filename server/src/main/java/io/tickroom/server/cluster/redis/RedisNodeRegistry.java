package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Ids;
import io.tickroom.server.cluster.NodeIdHeldException;
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

/**
 * Nodes in Redis. {@code {node:ID}} holds "url|sessions|matches|draining|instance" with a TTL
 * renewed every {@code renewMs}; {@code {nodes}} is the set of registered ids; {@code
 * {node:ID}:users} the users whose lobby-holding sessions are on that node; {@code
 * {user:ID}:presence} the nodes a user is on. Every renewal also checks the registered ids: one
 * whose key has expired is claimed with SREM on {@code {nodes}} — only the node whose SREM returns
 * 1 cleans up, so the clean-up runs once whichever node notices first. After a Redis outage the
 * node re-registers and re-declares its present users on the next renewal (or the next after
 * {@link #redeclare}: Redis may have restarted empty between two renewals without either failing).
 *
 * <p>Slots. A node's own keys share its slot, so registering, renewing and leaving are one script
 * each there; {@code {nodes}} and each user's presence are on slots of their own and are written
 * by single commands next to those scripts. The reaper claims with SREM, then takes the dead
 * node's users with a script on the dead node's slot that first checks the registration is still
 * gone (a node that renewed in between is put back in {@code {nodes}}, not reaped), then removes
 * the node from each user's presence one command at a time: a reaper dying midway leaves a user
 * listed as present on a dead node, which only keeps that user's seat held (onlineAnywhere) until
 * the user's next session declares itself.
 *
 * <p>One id, one live process. {@code instance} is a random token drawn per registry: the
 * registration is {@code SET NX}, so a node whose id is held by another instance refuses to start
 * ({@link NodeIdHeldException}); every renewal is a compare-and-set on the token, so a node never
 * renews (or, leaving, deletes) another's registration. A node restarted under its own id while
 * its crashed predecessor's registration is still within the TTL is refused the same way (the two
 * cannot be told apart without running under a contested id): it can start once that
 * registration has expired, and then cleans up after the predecessor itself unless a survivor
 * already has.
 */
final class RedisNodeRegistry implements NodeRegistry {
    private static final Logger log = LoggerFactory.getLogger(RedisNodeRegistry.class);

    private final UnifiedJedis redis;
    private final Keys keys;
    private final String nodeId;
    private final long renewMs;
    private final long ttlMs;
    private volatile Supplier<NodeInfo> self;
    private volatile DeadNodeHandler onDead;
    private final java.util.Set<String> localUsers = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    /** "|" and this registry's instance token: how its registration value ends. */
    private final String instance = "|" + Ids.newId(16);

    private volatile boolean registeredOk;
    private volatile boolean heldElsewhere;
    /** What a predecessor with this id left behind for this node to clean up ({@link #start}); null when none. */
    private List<String> predecessor;

    /**
     * KEYS[1]: a node's registration; ARGV[1]: 1 to check it is gone first. Takes the node's users
     * ({@code :users} goes): {'ALIVE'} when it is registered after all, else {stopped, users...}.
     */
    private static final String TAKE_USERS = """
            if ARGV[1] == '1' and redis.call('EXISTS', KEYS[1]) == 1 then return {'ALIVE'} end
            local users = redis.call('SMEMBERS', KEYS[1] .. ':users')
            redis.call('DEL', KEYS[1] .. ':users')
            local out = {tostring(redis.call('DEL', KEYS[1] .. ':stopped'))}
            for _, u in ipairs(users) do table.insert(out, u) end
            return out
            """;
    /** KEYS[1]: the registration. ARGV: value, ttl. Registers unless the id is held: 1, or 0 when held. */
    private static final String REGISTER = """
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            return 1
            """;
    /**
     * KEYS[1]: the registration. ARGV: value, ttl, instance suffix. Renews this instance's
     * registration: 1; it was gone (Redis lost it, or it expired) and is registered again: 2;
     * another instance holds it: 0.
     */
    private static final String RENEW = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, -#ARGV[3]) ~= ARGV[3] then return 0 end
            redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
            if cur then return 1 end
            return 2
            """;
    /** KEYS[1]: the registration. ARGV: instance suffix, stopped ttl. Leaves, unless another instance holds the id. */
    private static final String LEAVE = """
            local cur = redis.call('GET', KEYS[1])
            if cur and string.sub(cur, -#ARGV[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1] .. ':stopped', '1', 'PX', ARGV[2])
            redis.call('DEL', KEYS[1])
            return 1
            """;

    /** A registry for {@code nodeId}; nothing is registered and no thread runs before {@link #start}. */
    RedisNodeRegistry(UnifiedJedis redis, String prefix, String nodeId, long renewMs, long ttlMs) {
        this(
                redis,
                prefix,
                nodeId,
                renewMs,
                ttlMs,
                io.tickroom.server.thread.NodeThreads.logging(nodeId).single("nodes"));
    }

    RedisNodeRegistry(
            UnifiedJedis redis,
            String prefix,
            String nodeId,
            long renewMs,
            long ttlMs,
            java.util.concurrent.ThreadFactory timerThread) {
        this.redis = redis;
        this.keys = new Keys(prefix);
        this.nodeId = nodeId;
        this.renewMs = renewMs;
        this.ttlMs = ttlMs;
        this.timer = Executors.newSingleThreadScheduledExecutor(timerThread);
    }

    /**
     * Registers this node under its id, atomically, or throws {@link NodeIdHeldException} when
     * another live instance holds it (nothing registered then); cleans up after a predecessor that
     * held this id and that nobody cleaned up after (on the caller's thread, before the node takes
     * sessions); then renews every {@code renewMs}, each round also looking for dead nodes. Redis
     * unreachable: the node goes on and registers on the first renewal that reaches it.
     */
    @Override
    public void start(Supplier<NodeInfo> self, DeadNodeHandler onDead) {
        this.self = self;
        this.onDead = onDead;
        try {
            long r = ((Number) redis.eval(REGISTER, List.of(nodeKey(nodeId)), List.of(value(), Long.toString(ttlMs))))
                    .longValue();
            if (r == 0) {
                throw new NodeIdHeldException(nodeId);
            }
            // a predecessor with this id that nobody cleaned up after is this node's to clean up
            if (redis.srem(keys.nodes(), nodeId) == 1) {
                List<?> taken = (List<?>) redis.eval(TAKE_USERS, List.of(nodeKey(nodeId)), List.of("0"));
                List<String> left = new ArrayList<>();
                taken.forEach(u -> left.add(str(u)));
                predecessor = left;
                unpresent(nodeId, left.subList(1, left.size()));
            }
            redis.sadd(keys.nodes(), nodeId);
            registeredOk = true;
        } catch (JedisException e) {
            log.warn(
                    "node registry: Redis unavailable at start ({}); registering on the first renewal that reaches it",
                    e.getMessage());
        }
        List<String> left = predecessor;
        predecessor = null;
        if (left != null) {
            boolean stopped = "1".equals(left.get(0));
            List<String> users = left.subList(1, left.size());
            log.warn(
                    "node {}: its previous instance {} and nobody cleaned up after it; cleaning up after its {} users",
                    nodeId,
                    stopped ? "stopped" : "expired",
                    users.size());
            onDead.nodeDied(nodeId, users, stopped);
        }
        timer.scheduleWithFixedDelay(
                io.tickroom.server.thread.NodeThreads.escalating(this::renew), renewMs, renewMs, TimeUnit.MILLISECONDS);
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(o);
    }

    private String nodeKey(String id) {
        return keys.node(id);
    }

    /** The dead node {@code id} leaves each user's presence (one command per user: their own slots). */
    private void unpresent(String id, List<String> users) {
        for (String u : users) {
            redis.srem(keys.presence(u), id);
        }
    }

    /** The registration value: what {@link #liveNodes} reads, then this instance's token. */
    private String value() {
        NodeInfo me = self.get();
        return me.url() + "|" + me.sessions() + "|" + me.matches() + "|" + (me.draining() ? 1 : 0) + instance;
    }

    /** One renewal and dead-node check; the timer runs it every {@code renewMs} (tests call it directly). */
    void renew() {
        try {
            long r = ((Number) redis.eval(
                            RENEW, List.of(nodeKey(nodeId)), List.of(value(), Long.toString(ttlMs), instance)))
                    .longValue();
            if (r != 0) {
                redis.sadd(keys.nodes(), nodeId);
            }
            if (r == 0) {
                if (!heldElsewhere) {
                    log.error(
                            "node id \"{}\" is now held by another node instance; this node no longer renews it "
                                    + "(give each node its own id)",
                            nodeId);
                }
                heldElsewhere = true;
            } else {
                heldElsewhere = false;
            }
            if (r == 2 || (r == 1 && !registeredOk)) {
                // first registration, or back after an outage: re-declare who is here
                for (String u : localUsers) {
                    redis.sadd(keys.nodeUsers(nodeId), u);
                    redis.sadd(keys.presence(u), nodeId);
                }
                registeredOk = true;
            }
            for (String id : redis.smembers(keys.nodes())) {
                if (id.equals(nodeId) || redis.exists(nodeKey(id)) || redis.srem(keys.nodes(), id) == 0) {
                    continue;
                }
                List<?> reaped = (List<?>) redis.eval(TAKE_USERS, List.of(nodeKey(id)), List.of("1"));
                if ("ALIVE".equals(str(reaped.get(0)))) {
                    redis.sadd(keys.nodes(), id); // it renewed between the look and the claim
                    continue;
                }
                {
                    boolean stopped = "1".equals(str(reaped.get(0)));
                    List<String> users = new ArrayList<>();
                    reaped.subList(1, reaped.size()).forEach(u -> users.add(str(u)));
                    unpresent(id, users);
                    if (stopped) { // a clean stop is routine: a rolling restart logs it on every other node
                        log.info("node {} stopped; cleaning up after its {} users", id, users.size());
                    } else {
                        log.warn("node {} expired; cleaning up after its {} users", id, users.size());
                    }
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
            redis.sadd(keys.nodeUsers(nodeId), userId);
            redis.sadd(keys.presence(userId), nodeId);
        } catch (JedisException e) {
            registeredOk = false; // re-declared on the next successful renewal
        }
    }

    @Override
    public void absent(String userId) {
        localUsers.remove(userId);
        try {
            redis.srem(keys.nodeUsers(nodeId), userId);
            redis.srem(keys.presence(userId), nodeId);
        } catch (JedisException e) {
            registeredOk = false;
        }
    }

    @Override
    public boolean onlineAnywhere(String userId) {
        try {
            return redis.scard(keys.presence(userId)) > 0;
        } catch (JedisException e) {
            throw new ClusterUnavailableException("node registry unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public java.util.Set<String> nodesOf(String userId) {
        try {
            return redis.smembers(keys.presence(userId));
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
            for (String id : redis.smembers(keys.nodes())) {
                String v = redis.get(nodeKey(id));
                if (v != null) {
                    String[] f = v.split("\\|");
                    // f[3] is the draining flag ("0"/"1"); a registration without it (an older node) is not draining
                    out.add(new NodeInfo(
                            id,
                            f[0],
                            Integer.parseInt(f[1]),
                            Integer.parseInt(f[2]),
                            f.length > 4 && "1".equals(f[3])));
                }
            }
        } catch (JedisException e) {
            throw new ClusterUnavailableException("node registry unavailable: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * Stops renewing without leaving, as a crashed process does (tests: a cluster client keeps
     * reconnecting after close, so closing it does not stop a registry the way a crash does).
     */
    void halt() {
        timer.shutdownNow();
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
            redis.eval(LEAVE, List.of(nodeKey(nodeId)), List.of(instance, Long.toString(Math.max(ttlMs * 4, 60_000))));
        } catch (JedisException e) {
            // leaving anyway: the TTL removes the key and a survivor cleans up as after a crash
        }
    }
}
