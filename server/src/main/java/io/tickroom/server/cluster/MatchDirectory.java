package io.tickroom.server.cluster;

import java.util.List;
import java.util.Optional;

/**
 * Where every running match is, cluster-wide: which node hosts it, its URL and players. Nodes
 * add their matches when they start and remove them when they end; when a node dies its
 * matches are removed by the node that cleans up after it. Writes never block the caller (a
 * tick thread ends matches): the Redis implementation queues them on its own thread.
 */
public interface MatchDirectory extends AutoCloseable {

    record Entry(String matchId, String nodeId, String mode, String endpoint, List<String> players, long createdAtMs) {}

    void add(Entry match);

    void remove(Entry match);

    Optional<Entry> get(String matchId);

    /** The match the user holds a seat in, anywhere in the cluster. */
    Optional<String> matchOf(String userId);

    /**
     * Writes this node's live matches again after the store lost its data (Redis restarted
     * empty). Never blocks, like the other writes. Memory never loses its data: nothing to do.
     */
    void rewrite(List<Entry> live);

    /** Removes every match of a dead node; returns how many. */
    int removeNode(String nodeId);

    /** Matches in the directory (all nodes). */
    int count();

    @Override
    default void close() {}
}
