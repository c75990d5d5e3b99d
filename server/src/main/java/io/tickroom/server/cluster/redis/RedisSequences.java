package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Sequences;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stream sequences shared by every node: one counter per stream ({@code seq:{stream}}), advanced
 * with INCR, so two nodes publishing on one lobby stream never hand out the same number. Redis
 * errors surface as {@link ClusterUnavailableException}.
 */
final class RedisSequences implements Sequences {
    private final UnifiedJedis redis;
    private final String prefix;

    RedisSequences(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.prefix = prefix + "seq:";
    }

    @Override
    public long next(String stream) {
        try {
            return redis.incr(prefix + stream);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("sequences unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public long current(String stream) {
        try {
            String v = redis.get(prefix + stream);
            return v == null ? 0 : Long.parseLong(v);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("sequences unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(String stream) {
        try {
            redis.del(prefix + stream);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("sequences unavailable: " + e.getMessage(), e);
        }
    }

    /** Not tracked per node in Redis (the counters are shared); 0. */
    @Override
    public int streamCount() {
        return 0;
    }
}
