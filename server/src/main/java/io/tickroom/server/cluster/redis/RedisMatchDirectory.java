package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.MatchDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The match directory in Redis: {@code match:{id}} (hash: node, mode, url, players, created),
 * {@code match-of:{uid}} (the user's match), {@code node:{id}:matches} (a node's matches, for
 * the dead-node clean-up) and {@code matches} (all ids, for the count). Each write is one Lua
 * script. Writes run on one writer thread with a queue of {@value #MAX_QUEUED}: past it, or while
 * Redis is down, a write is dropped and logged, and the node writes its live matches again when
 * Redis is back ({@link #rewrite}).
 */
final class RedisMatchDirectory implements MatchDirectory {
    private static final Logger log = LoggerFactory.getLogger(RedisMatchDirectory.class);
    static final int MAX_QUEUED = 10_000;
    private static final String ADD = """
            local P, id, node = ARGV[1], ARGV[2], ARGV[3]
            redis.call('HSET', P .. 'match:' .. id, 'node', node, 'mode', ARGV[4], 'url', ARGV[5], 'players', ARGV[6], 'created', ARGV[7])
            redis.call('SADD', P .. 'node:' .. node .. ':matches', id)
            redis.call('SADD', P .. 'matches', id)
            for uid in string.gmatch(ARGV[6], '[^,]+') do redis.call('SET', P .. 'match-of:' .. uid, id) end
            return 1
            """;
    private static final String REMOVE = """
            local P, id = ARGV[1], ARGV[2]
            local k = P .. 'match:' .. id
            local node, players = unpack(redis.call('HMGET', k, 'node', 'players'))
            if not node then return 0 end
            for uid in string.gmatch(players, '[^,]+') do
              if redis.call('GET', P .. 'match-of:' .. uid) == id then redis.call('DEL', P .. 'match-of:' .. uid) end
            end
            redis.call('DEL', k)
            redis.call('SREM', P .. 'node:' .. node .. ':matches', id)
            redis.call('SREM', P .. 'matches', id)
            return 1
            """;

    private final UnifiedJedis redis;
    private final String prefix;
    private final ThreadPoolExecutor writer;

    RedisMatchDirectory(UnifiedJedis redis, String prefix, java.util.concurrent.ThreadFactory writerThread) {
        this.redis = redis;
        this.prefix = prefix;
        this.writer = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), writerThread);
    }

    @Override
    public void add(Entry m) {
        write("add " + m.matchId(), () -> addNow(m));
    }

    private void addNow(Entry m) {
        redis.eval(
                ADD,
                List.of(),
                List.of(
                        prefix,
                        m.matchId(),
                        m.nodeId(),
                        m.mode(),
                        m.endpoint(),
                        String.join(",", m.players()),
                        Long.toString(m.createdAtMs())));
    }

    @Override
    public void remove(Entry m) {
        write("remove " + m.matchId(), () -> redis.eval(REMOVE, List.of(), List.of(prefix, m.matchId())));
    }

    /** Writes the node's live matches again (after Redis came back, possibly empty). On the writer thread. */
    @Override
    public void rewrite(List<Entry> live) {
        write("rewrite", () -> live.forEach(this::addNow));
    }

    private void write(String what, Runnable op) {
        try {
            writer.execute(() -> {
                try {
                    op.run();
                } catch (JedisException e) {
                    log.warn("match directory: {} not written ({})", what, e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            log.warn("match directory: {} dropped, {} writes already queued", what, MAX_QUEUED);
        }
    }

    @Override
    public Optional<Entry> get(String matchId) {
        try {
            Map<String, String> h = redis.hgetAll(prefix + "match:" + matchId);
            if (h.isEmpty()) {
                return Optional.empty();
            }
            List<String> players = h.get("players").isEmpty()
                    ? List.of()
                    : List.of(h.get("players").split(","));
            return Optional.of(new Entry(
                    matchId, h.get("node"), h.get("mode"), h.get("url"), players, Long.parseLong(h.get("created"))));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match directory unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> matchOf(String userId) {
        try {
            return Optional.ofNullable(redis.get(prefix + "match-of:" + userId));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match directory unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public int removeNode(String nodeId) {
        List<String> ids = new ArrayList<>(redis.smembers(prefix + "node:" + nodeId + ":matches"));
        for (String id : ids) {
            redis.eval(REMOVE, List.of(), List.of(prefix, id));
        }
        redis.del(prefix + "node:" + nodeId + ":matches");
        return ids.size();
    }

    @Override
    public int count() {
        try {
            return (int) redis.scard(prefix + "matches");
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match directory unavailable: " + e.getMessage(), e);
        }
    }

    /** Lets queued writes finish (up to a second), then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            writer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
