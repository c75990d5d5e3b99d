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
 * Quick-match queues in Redis: per mode, on the mode's slot ({@code {mode:NAME}}), a sorted set
 * by arrival, a hash of entries, the entries' claim tokens and a lease with a fencing token; per
 * user a claim ({@code {user:ID}:queued}, {@link Claims}) that keeps the user in one queue.
 * Add claims the user, then adds on the mode's slot (recording the token), then commits (or, on
 * FULL, releases); {@code take} checks the fencing token and that every player is still queued
 * before removing any, so a group is formed atomically and nobody lands in two matches, then
 * releases the players' claims. A user is in at most one queue because a queue records a user
 * only with a token of the one claim the user holds, as for lobbies (RedisLobbyDirectory).
 */
final class RedisMatchQueue implements MatchQueue {
    private final UnifiedJedis redis;
    private final Keys keys;
    private final Claims claims;
    private final String addScript = script("queue-add.lua");
    private final String removeScript = script("queue-remove.lua");
    private final String leaseScript = script("queue-lease.lua");
    private final String takeScript = script("queue-take.lua");
    private final String fenceScript = script("queue-fence.lua");

    RedisMatchQueue(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.keys = new Keys(prefix);
        this.claims = new Claims(redis, RedisLobbyDirectory.CLAIM_PENDING_MS);
    }

    private static String script(String name) {
        try (InputStream in = RedisMatchQueue.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("missing Lua resource " + name, e);
        }
    }

    private Object eval(String script, String mode, List<String> args) {
        try {
            return redis.eval(script, List.of(keys.mode(mode)), args);
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    private static ClusterUnavailableException unavailable(JedisException e) {
        return new ClusterUnavailableException("match queue unavailable: " + e.getMessage(), e);
    }

    @Override
    public Added add(String mode, Entry e, int maxQueued) {
        String key = keys.userQueued(e.userId());
        String token;
        try {
            token = claims.claim(
                    key,
                    mode,
                    (m, t) -> ((Number) redis.eval(fenceScript, List.of(keys.mode(m)), List.of(e.userId(), t)))
                                    .longValue()
                            == 1);
        } catch (Claims.Refused r) {
            return Added.ALREADY_QUEUED;
        } catch (JedisException ex) {
            throw unavailable(ex);
        }
        String r = String.valueOf(eval(
                addScript,
                mode,
                List.of(
                        e.userId(),
                        e.name(),
                        Integer.toString(e.rating()),
                        Long.toString(e.sinceMs()),
                        e.nodeId(),
                        Integer.toString(maxQueued),
                        token)));
        try {
            if (r.equals("ADDED")) {
                claims.commit(key, token);
                return Added.ADDED;
            }
            claims.release(key, token, "");
        } catch (JedisException ex) {
            throw unavailable(ex);
        }
        if (r.equals("RETRY")) {
            throw new ClusterUnavailableException("match queue: claim fenced, its node was presumed dead", null);
        }
        return Added.valueOf(r);
    }

    @Override
    public boolean remove(String userId) {
        String key = keys.userQueued(userId);
        try {
            List<String> claim = redis.hmget(key, "target", "token");
            if (claim.get(0) == null) {
                return false;
            }
            boolean removed = ((Number) eval(removeScript, claim.get(0), List.of(userId))).longValue() == 1;
            claims.release(key, claim.get(1), claim.get(0));
            return removed;
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public boolean isQueued(String userId) {
        try {
            return claims.held(keys.userQueued(userId)) != null;
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long lease(String mode, String nodeId, long ttlMs) {
        return ((Number) eval(leaseScript, mode, List.of(nodeId, Long.toString(ttlMs)))).longValue();
    }

    @Override
    public List<Entry> waiting(String mode) {
        try {
            List<String> ids = redis.zrange(keys.mode(mode) + ":qz", 0, -1);
            if (ids.isEmpty()) {
                return List.of();
            }
            List<String> raw = redis.hmget(keys.mode(mode) + ":qe", ids.toArray(String[]::new));
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
            throw unavailable(e);
        }
    }

    @Override
    public boolean take(String mode, String nodeId, long fence, List<String> userIds) {
        List<String> args = new ArrayList<>(List.of(nodeId, Long.toString(fence)));
        args.addAll(userIds);
        List<?> taken = (List<?>) eval(takeScript, mode, args);
        for (int i = 0; i + 1 < taken.size(); i += 2) {
            String uid = str(taken.get(i));
            try {
                claims.release(keys.userQueued(uid), str(taken.get(i + 1)), mode);
            } catch (JedisException e) {
                // a claim left behind is resolved at the queue by the user's next add (Claims)
            }
        }
        return !taken.isEmpty();
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    @Override
    public int size(String mode) {
        try {
            return (int) redis.zcard(keys.mode(mode) + ":qz");
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }
}
