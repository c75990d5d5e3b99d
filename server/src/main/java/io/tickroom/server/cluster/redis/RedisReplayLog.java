package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.ReplayLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The replay log in Redis: {@code {stream}:log} (next to the stream's seq, on its slot), a Redis stream whose entry ids are the push
 * seqs ({@code <seq>-1}), capped (about {@code depth} entries, {@code MAXLEN ~}) and expiring a
 * while after its last push. {@code bus-publish.lua} appends in the same script that numbers
 * and publishes, so a push is in the log exactly when it was delivered.
 */
final class RedisReplayLog implements ReplayLog {
    private static final String AFTER = """
            local cur = tonumber(redis.call('GET', KEYS[2]) or '0')
            local out = {tostring(cur)}
            if cur <= tonumber(ARGV[1]) then return out end
            local e = redis.call('XRANGE', KEYS[1], (tonumber(ARGV[1]) + 1) .. '-0', '+', 'COUNT', ARGV[2])
            for _, x in ipairs(e) do table.insert(out, x[1]); table.insert(out, x[2][2]) end
            return out
            """;

    private final UnifiedJedis redis;
    private final Keys keys;

    RedisReplayLog(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.keys = new Keys(prefix);
    }

    @Override
    public Replay after(String stream, long afterSeq, int max) {
        List<?> r;
        try {
            r = (List<?>) redis.eval(
                    AFTER.getBytes(StandardCharsets.UTF_8),
                    List.of(
                            keys.log(stream).getBytes(StandardCharsets.UTF_8),
                            keys.seq(stream).getBytes(StandardCharsets.UTF_8)),
                    List.of(
                            Long.toString(afterSeq).getBytes(StandardCharsets.UTF_8),
                            Integer.toString(max).getBytes(StandardCharsets.UTF_8)));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("replay log unavailable: " + e.getMessage(), e);
        }
        long current = Long.parseLong(new String((byte[]) r.get(0), StandardCharsets.US_ASCII));
        List<Long> seqs = new ArrayList<>();
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 1; i + 1 < r.size(); i += 2) {
            String id = new String((byte[]) r.get(i), StandardCharsets.US_ASCII);
            seqs.add(Long.parseLong(id.substring(0, id.indexOf('-'))));
            bodies.add((byte[]) r.get(i + 1));
        }
        return new Replay(current, seqs, bodies);
    }

    /** The logs are shared and expire on their own: 0. */
    @Override
    public int streamCount() {
        return 0;
    }

    @Override
    public void forget(String stream) {
        try {
            redis.del(keys.log(stream));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("replay log unavailable: " + e.getMessage(), e);
        }
    }
}
