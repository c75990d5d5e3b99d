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
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The match directory in Redis: {@code {match:ID}:entry} (hash: node, mode, url, players,
 * created), {@code {user:ID}:match} (the user's match), {@code {node:ID}:matches} (a node's
 * matches, for the dead-node clean-up) and {@code {matches}} (all ids, for the count): four
 * slots, so a write is a handful of single commands (the user index cleared with a
 * compare-and-delete script on the user's slot), not one script. The directory is advisory (where
 * a match runs, for rejoin), written best effort, and rewritten whole after an outage ({@link
 * #rewrite}), so a write cut halfway is repaired the same way. Writes run on one writer thread
 * with a queue of {@value #MAX_QUEUED}: past it, or while Redis is down, a write is dropped and
 * logged, and the node writes its live matches again when Redis is back.
 */
final class RedisMatchDirectory implements MatchDirectory {
    private static final Logger log = LoggerFactory.getLogger(RedisMatchDirectory.class);
    static final int MAX_QUEUED = 10_000;
    /** KEYS[1]: a user's match key. Deletes it if it still names ARGV[1]. */
    private static final String CLEAR_USER =
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) return 1 end return 0";

    private final UnifiedJedis redis;
    private final Keys keys;
    private final ThreadPoolExecutor writer;

    RedisMatchDirectory(UnifiedJedis redis, String prefix, java.util.concurrent.ThreadFactory writerThread) {
        this.redis = redis;
        this.keys = new Keys(prefix);
        this.writer = new ThreadPoolExecutor(
                1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), writerThread);
    }

    @Override
    public void add(Entry m) {
        write("add " + m.matchId(), () -> addNow(m));
    }

    /**
     * Two pipelines: each player's match first, then the entry and the node's and the global set.
     * On a cluster a pipeline is one batch per master, and the batches land in no set order, so
     * the players' keys are written and acknowledged before the entry: whoever can see the entry
     * can see its players' matches (the seat check of a join asks for those).
     */
    private void addNow(Entry m) {
        try (AbstractPipeline p = redis.pipelined()) {
            for (String uid : m.players()) {
                p.set(keys.userMatch(uid), m.matchId());
            }
            p.sync();
        }
        try (AbstractPipeline p = redis.pipelined()) {
            p.hset(
                    keys.match(m.matchId()),
                    Map.of(
                            "node",
                            m.nodeId(),
                            "mode",
                            m.mode(),
                            "url",
                            m.endpoint(),
                            "players",
                            String.join(",", m.players()),
                            "created",
                            Long.toString(m.createdAtMs())));
            p.sadd(keys.nodeMatches(m.nodeId()), m.matchId());
            p.sadd(keys.matches(), m.matchId());
            p.sync();
        }
    }

    /**
     * Reads the entry, then one pipeline: each player's match cleared first (compare-and-delete on
     * the player's slot, so a player already in a newer match keeps it), then the entry and the
     * sets. The players' keys go first because a join right after a match ends asks for them.
     */
    private int removeNow(String id) {
        List<String> h = redis.hmget(keys.match(id), "node", "players");
        if (h.get(0) == null) {
            return 0;
        }
        try (AbstractPipeline p = redis.pipelined()) {
            for (String uid : h.get(1).isEmpty() ? new String[0] : h.get(1).split(",")) {
                p.eval(CLEAR_USER, List.of(keys.userMatch(uid)), List.of(id));
            }
            p.del(keys.match(id));
            p.srem(keys.nodeMatches(h.get(0)), id);
            p.srem(keys.matches(), id);
            p.sync();
        }
        return 1;
    }

    @Override
    public void remove(Entry m) {
        write("remove " + m.matchId(), () -> removeNow(m.matchId()));
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
            if (writer.isShutdown()) {
                // the node is stopping: its entries go with its registration (dead-node clean-up)
                log.debug("match directory: {} not queued, the node is stopping", what);
                return;
            }
            log.warn("match directory: {} dropped, {} writes already queued", what, MAX_QUEUED);
        }
    }

    @Override
    public Optional<Entry> get(String matchId) {
        try {
            Map<String, String> h = redis.hgetAll(keys.match(matchId));
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
            return Optional.ofNullable(redis.get(keys.userMatch(userId)));
        } catch (JedisException e) {
            throw new ClusterUnavailableException("match directory unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public int removeNode(String nodeId) {
        List<String> ids = new ArrayList<>(redis.smembers(keys.nodeMatches(nodeId)));
        for (String id : ids) {
            removeNow(id);
        }
        redis.del(keys.nodeMatches(nodeId));
        return ids.size();
    }

    @Override
    public int count() {
        try {
            return (int) redis.scard(keys.matches());
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
