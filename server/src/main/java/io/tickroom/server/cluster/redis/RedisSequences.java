package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Sequences;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Stream sequences shared by every node: one counter per stream ({@code {stream}:seq}, on the stream's slot: see {@link Keys}), advanced
 * with INCR, so two nodes publishing on one lobby stream never hand out the same number. Redis
 * errors surface as {@link ClusterUnavailableException}.
 */
final class RedisSequences implements Sequences {
    private final UnifiedJedis redis;
    private final Keys keys;

    RedisSequences(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.keys = new Keys(prefix);
    }

    @Override
    public long next(String stream) {
        try {
            return redis.incr(keys.seq(stream));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("sequences unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public long current(String stream) {
        try {
            String v = redis.get(keys.seq(stream));
            return v == null ? 0 : Long.parseLong(v);
        } catch (JedisException e) {
            throw new ClusterUnavailableException("sequences unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public void forget(String stream) {
        try {
            redis.del(keys.seq(stream));
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
