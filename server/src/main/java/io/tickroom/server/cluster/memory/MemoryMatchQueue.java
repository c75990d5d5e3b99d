package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.MatchQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Single-node queues: maps under one lock; this node always holds every lease. */
final class MemoryMatchQueue implements MatchQueue {
    private final Map<String, LinkedHashMap<String, Entry>> queues = new HashMap<>();
    private final Map<String, String> modeByUser = new HashMap<>();

    @Override
    public synchronized Added add(String mode, Entry entry, int maxQueued) {
        if (modeByUser.containsKey(entry.userId())) {
            return Added.ALREADY_QUEUED;
        }
        LinkedHashMap<String, Entry> q = queues.computeIfAbsent(mode, k -> new LinkedHashMap<>());
        if (q.size() >= maxQueued) {
            return Added.FULL;
        }
        q.put(entry.userId(), entry);
        modeByUser.put(entry.userId(), mode);
        return Added.ADDED;
    }

    @Override
    public synchronized boolean remove(String userId) {
        String mode = modeByUser.remove(userId);
        if (mode == null) {
            return false;
        }
        LinkedHashMap<String, Entry> q = queues.get(mode);
        q.remove(userId);
        if (q.isEmpty()) {
            queues.remove(mode);
        }
        return true;
    }

    @Override
    public synchronized boolean isQueued(String userId) {
        return modeByUser.containsKey(userId);
    }

    @Override
    public long lease(String mode, String nodeId, long ttlMs) {
        return 1;
    }

    @Override
    public synchronized List<Entry> waiting(String mode) {
        LinkedHashMap<String, Entry> q = queues.get(mode);
        return q == null ? List.of() : new ArrayList<>(q.values());
    }

    @Override
    public synchronized boolean take(String mode, String nodeId, long fence, List<String> userIds) {
        LinkedHashMap<String, Entry> q = queues.get(mode);
        if (q == null || !userIds.stream().allMatch(q::containsKey)) {
            return false;
        }
        userIds.forEach(this::remove);
        return true;
    }

    @Override
    public synchronized int size(String mode) {
        LinkedHashMap<String, Entry> q = queues.get(mode);
        return q == null ? 0 : q.size();
    }

    /** Users queued over all modes (a leak check for tests). */
    public synchronized int queued() {
        return modeByUser.size();
    }
}
