package io.tickroom.server.lobby;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.LobbyList;
import io.tickroom.server.cluster.LobbyDirectory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Encoded {@code list_lobbies} pages, shared by every request that asks the same query while the
 * directory has not changed: a page is built and encoded once per directory version and query,
 * and each answer is that read-only encoding behind its own {@code reply_to}. Bounded: at most
 * {@value #MAX_PAGES} pages (policy: the least recently used goes). A directory that cannot say
 * its version ({@link LobbyDirectory#listVersion} -1, Redis) is not cached. Thread-safe; the
 * build runs outside the lock (two threads may build the same page once each).
 */
final class ListingCache {
    static final int MAX_PAGES = 256;

    private record Key(String mode, LobbyDirectory.Order order, int offset, int size) {}

    private record Page(long version, ByteString encoded) {}

    private final Map<Key, Page> pages = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Page> eldest) {
            return size() > MAX_PAGES;
        }
    };
    private final LongAdder built = new LongAdder();

    /** The encoded page for this query at the directory's current version, built by {@code build} if needed. */
    ByteString page(
            LobbyDirectory directory,
            String mode,
            LobbyDirectory.Order order,
            int offset,
            int size,
            Supplier<LobbyList> build) {
        // the version is read before the page is built: a change in between only costs a rebuild
        long version = directory.listVersion();
        Key key = new Key(mode, order, offset, size);
        if (version >= 0) {
            synchronized (pages) {
                Page p = pages.get(key);
                if (p != null && p.version() == version) {
                    return p.encoded();
                }
            }
        }
        built.increment();
        ByteString encoded = build.get().toByteString();
        if (version >= 0) {
            synchronized (pages) {
                pages.put(key, new Page(version, encoded));
            }
        }
        return encoded;
    }

    /** Pages built (and encoded) so far: the rest of the answers shared an encoding. */
    long built() {
        return built.sum();
    }
}
