package io.tickroom.server.cluster.redis;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.internal.v1.StoredSession;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.ResumeStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * Resume records in Redis: {@code {sess:SID}} (a {@code StoredSession}), and {@code
 * {node:ID}:sessions} listing a node's live sessions so that the node cleaning up after a dead
 * one can give them the grace. Take is one script on the record's slot (GET + DEL): one resume
 * wins; the node set, on the node's slot, follows with its own command. Writes that fail (Redis
 * down) are logged: that session cannot be resumed elsewhere.
 */
final class RedisResumeStore implements ResumeStore {
    private static final Logger log = LoggerFactory.getLogger(RedisResumeStore.class);
    private static final String TAKE = """
            local v = redis.call('GET', KEYS[1])
            if v then redis.call('DEL', KEYS[1]) end
            return v
            """;

    private final UnifiedJedis redis;
    private final Keys keys;

    RedisResumeStore(UnifiedJedis redis, String prefix) {
        this.redis = redis;
        this.keys = new Keys(prefix);
    }

    private byte[] key(String sid) {
        return keys.session(sid).getBytes(StandardCharsets.UTF_8);
    }

    private String nodeSet(String nodeId) {
        return keys.nodeSessions(nodeId);
    }

    @Override
    public void opened(StoredSession live) {
        try {
            redis.set(key(live.getSessionId()), live.toByteArray());
            redis.sadd(nodeSet(live.getNodeId()), live.getSessionId());
        } catch (JedisException e) {
            log.warn("resume record of {} not written ({})", live.getSessionId(), e.getMessage());
        }
    }

    @Override
    public void detached(StoredSession ended, long graceMs) {
        try {
            redis.set(
                    key(ended.getSessionId()),
                    ended.toByteArray(),
                    SetParams.setParams().px(graceMs));
            redis.srem(nodeSet(ended.getNodeId()), ended.getSessionId());
        } catch (JedisException e) {
            log.warn("resume record of {} not written ({})", ended.getSessionId(), e.getMessage());
        }
    }

    @Override
    public void ended(String sessionId, String nodeId) {
        try {
            redis.del(key(sessionId));
            redis.srem(nodeSet(nodeId), sessionId);
        } catch (JedisException e) {
            log.warn("resume record of {} not removed ({}); it expires with its node", sessionId, e.getMessage());
        }
    }

    @Override
    public Optional<StoredSession> take(String sessionId) {
        Object v;
        try {
            v = redis.eval(TAKE.getBytes(StandardCharsets.UTF_8), List.of(key(sessionId)), List.of());
        } catch (JedisException e) {
            throw new ClusterUnavailableException("resume store unavailable: " + e.getMessage(), e);
        }
        if (!(v instanceof byte[] bytes)) {
            return Optional.empty();
        }
        try {
            StoredSession s = StoredSession.parseFrom(bytes);
            redis.srem(nodeSet(s.getNodeId()), sessionId);
            return Optional.of(s);
        } catch (InvalidProtocolBufferException e) {
            log.warn("resume record of {} unreadable", sessionId);
            return Optional.empty();
        } catch (JedisException e) {
            throw new ClusterUnavailableException("resume store unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public int nodeDied(String nodeId, long graceMs) {
        // the records are on their own slots: one PEXPIRE each, then the set goes
        java.util.Set<String> ids = redis.smembers(nodeSet(nodeId));
        for (String sid : ids) {
            redis.pexpire(key(sid), Math.max(1, graceMs));
        }
        redis.del(nodeSet(nodeId));
        return ids.size();
    }

    @Override
    public int count() {
        return 0;
    }
}
