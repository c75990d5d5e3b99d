package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory.Order;
import io.tickroom.server.cluster.LobbyPage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The public lobbies of each mode, kept sorted for listing as the Redis directory's sorted sets
 * are: newest first, and fullest first (fewest free seats, then newest). A listing walks the
 * order from the start, so it costs O(offset + page) and copies only the page, never the mode's
 * lobbies. Holds exactly the snapshots the directory holds: the directory replaces a lobby's
 * entry on every change ({@link #replace}). Not thread-safe: guarded by the directory's lock.
 */
final class LobbyIndex {
    static final Comparator<Lobby> NEWEST =
            Comparator.comparingLong(Lobby::createdAtMs).reversed().thenComparing(Lobby::id);
    static final Comparator<Lobby> FILL = Comparator.<Lobby>comparingInt(
                    l -> l.maxPlayers() - l.members().size())
            .thenComparing(NEWEST);

    private static final class Mode {
        final TreeSet<Lobby> newest = new TreeSet<>(NEWEST);
        final TreeSet<Lobby> fill = new TreeSet<>(FILL);
    }

    private final Map<String, Mode> modes = new HashMap<>();

    /** {@code old} (the snapshot indexed so far, null for a new lobby) becomes {@code next} (null: removed). */
    void replace(Lobby old, Lobby next) {
        if (old != null && !old.isPrivate()) {
            Mode m = modes.get(old.mode());
            if (m != null) {
                m.newest.remove(old);
                m.fill.remove(old);
                if (m.newest.isEmpty()) {
                    modes.remove(old.mode());
                }
            }
        }
        if (next != null && !next.isPrivate()) {
            Mode m = modes.computeIfAbsent(next.mode(), k -> new Mode());
            m.newest.add(next);
            m.fill.add(next);
        }
    }

    LobbyPage page(String mode, Order order, int offset, int limit) {
        Mode m = modes.get(mode);
        if (m == null || limit <= 0) {
            return new LobbyPage(List.of(), -1);
        }
        TreeSet<Lobby> sorted = order == Order.FILL ? m.fill : m.newest;
        if (offset >= sorted.size()) {
            return new LobbyPage(List.of(), -1);
        }
        Iterator<Lobby> it = sorted.iterator();
        for (int skipped = 0; skipped < offset; skipped++) {
            it.next();
        }
        List<Lobby> page = new ArrayList<>(Math.min(limit, sorted.size() - offset));
        while (page.size() < limit && it.hasNext()) {
            page.add(it.next());
        }
        return new LobbyPage(page, it.hasNext() ? offset + page.size() : -1);
    }

    /** Public lobbies indexed (a check that the index and the directory agree). */
    int size() {
        int n = 0;
        for (Mode m : modes.values()) {
            n += m.newest.size();
        }
        return n;
    }
}
