package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.MatchQueue;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Quick-match queues in Redis: per mode a sorted set by arrival and a hash of entries, a user
 * index (one queue per user), and a lease with a fencing token per mode. Add, remove, lease and
 * take are Lua scripts; {@code take} checks the fencing token and that every player is still
 * queued before removing any, so a group is formed atomically and nobody lands in two matches.
 */
final class RedisMatchQueue implements MatchQueue {
    private final UnifiedJedis redis;
    private final String prefix;
    private final String addScript = script("queue-add.lua");
    private final String removeScript = script("queue-remove.lua");
    private final String leaseScript = script("queue-lease.lua");
    private final String takeScript = script("queue-take.lua");

    RedisMatchQueue(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix;
    }

    private static String script(String name) {
        try (InputStream in = RedisMatchQueue.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing Lua resource " + name, e);
        }
    }

    private Object eval(String script, List<String> args) {
        try {
            List<String> argv = new ArrayList<>(args.size() + 1);
            argv.add(prefix);
            argv.addAll(args);
            return redis.eval(script, List.of(), argv);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match queue unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public Added add(String mode, Entry e, int maxQueued) {
        return Added.valueOf(String.valueOf(eval(
                addScript,
                List.of(
                        mode,
                        e.userId(),
                        e.name(),
                        Integer.toString(e.rating()),
                        Long.toString(e.sinceMs()),
                        e.nodeId(),
                        Integer.toString(maxQueued)))));
    }

    @Override
    public boolean remove(String userId) {
        return ((Number) eval(removeScript, List.of(userId))).longValue() == 1;
    }

    @Override
    public boolean isQueued(String userId) {
        try {
            return redis.exists(prefix + "qm:user:" + userId);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match queue unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public long lease(String mode, String nodeId, long ttlMs) {
        return ((Number) eval(leaseScript, List.of(mode, nodeId, Long.toString(ttlMs)))).longValue();
    }

    @Override
    public List<Entry> waiting(String mode) {
        try {
            List<String> ids = redis.zrange(prefix + "qm:" + mode + ":z", 0, -1);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> raw = redis.hmget(prefix + "qm:" + mode + ":e", ids.toArray(String[]::new));
            List<Entry> out = new ArrayList<>(ids.size());
            for (int i = 0; i < ids.size(); i++) {
                if (raw.get(i) == null) {
                    continue;
                }
                String[] f = raw.get(i).split("\t", -1);
                out.add(new Entry(ids.get(i), f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3]));
            }
            return out;
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match queue unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean take(String mode, String nodeId, long fence, List<String> userIds) {
        List<String> args = new ArrayList<>(List.of(mode, nodeId, Long.toString(fence)));
        args.addAll(userIds);
        return ((Number) eval(takeScript, args)).longValue() == 1;
    }

    @Override
    public int size(String mode) {
        try {
            return (int) redis.zcard(prefix + "qm:" + mode + ":z");
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match queue unavailable: " + e.getMessage(), e);
        }
    }
}
