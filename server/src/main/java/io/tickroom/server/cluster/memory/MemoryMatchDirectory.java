package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.MatchDirectory;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The single-node match directory: this node's matches, in memory. */
final class MemoryMatchDirectory implements MatchDirectory {
    private final Map<String, Entry> matches = new ConcurrentHashMap<>();
    private final Map<String, String> byUser = new ConcurrentHashMap<>();

    @Override
    public void add(Entry match) {
        matches.put(match.matchId(), match);
        match.players().forEach(u -> byUser.put(u, match.matchId()));
    }

    @Override
    public void remove(Entry match) {
        matches.remove(match.matchId());
        match.players().forEach(u -> byUser.remove(u, match.matchId()));
    }

    @Override
    public Optional<Entry> get(String matchId) {
        return Optional.ofNullable(matches.get(matchId));
    }

    @Override
    public Optional<String> matchOf(String userId) {
        return Optional.ofNullable(byUser.get(userId));
    }

    @Override
    public void rewrite(java.util.List<Entry> live) {
        // memory is never lost under a running node
    }

    @Override
    public int removeNode(String nodeId) {
        int n = 0;
        for (Entry e : matches.values()) {
            if (e.nodeId().equals(nodeId)) {
                remove(e);
                n++;
            }
        }
        return n;
    }

    @Override
    public int count() {
        return matches.size();
    }
}
