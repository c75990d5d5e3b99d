package io.tickroom.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live sessions of this node, by id and by user. Thread-safe. Bounded by the number of open
 * connections; an entry exists exactly while its connection does, and listeners registered
 * here are told of every open and close, in that order, once.
 */
public final class SessionRegistry {
    private final Map<String, ClientSession> byId = new ConcurrentHashMap<>();
    private final Map<String, Set<ClientSession>> byUser = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.LongAdder slowConsumerCloses = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedFramesOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesOut = new java.util.concurrent.atomic.LongAdder();

    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /** Registers a session that has just been opened, then tells the listeners. */
    public void open(ClientSession session) {
        byId.put(session.id(), session);
        byUser.compute(session.userId(), (k, set) -> {
            Set<ClientSession> s = set == null ? ConcurrentHashMap.newKeySet() : set;
            s.add(session);
            return s;
        });
        for (SessionListener l : listeners) {
            l.opened(session);
        }
    }

    /** Removes a session that has gone; idempotent. Listeners hear of it once. */
    public void close(ClientSession session) {
        if (byId.remove(session.id()) == null) {
            return;
        }
        session.markGone();
        byUser.computeIfPresent(session.userId(), (k, set) -> {
            set.remove(session);
            return set.isEmpty() ? null : set;
        });
        if (session.outbound().overflowedAtNs() != 0) {
            slowConsumerCloses.increment();
        }
        closedFramesOut.add(session.outbound().framesSent());
        closedBytesOut.add(session.outbound().bytesSent());
        session.outbound().shutdown();
        synchronized (this) {
            notifyAll();
        }
        for (SessionListener l : listeners) {
            try {
                l.closed(session);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(SessionRegistry.class)
                        .error("listener failed while closing {}", session, e);
            }
        }
    }

    public ClientSession get(String sessionId) {
        return byId.get(sessionId);
    }

    /** The user's sessions on this node (a snapshot); empty when none. */
    public List<ClientSession> sessionsOf(String userId) {
        Set<ClientSession> s = byUser.get(userId);
        return s == null ? List.of() : new ArrayList<>(s);
    }

    public boolean isOnline(String userId) {
        return byUser.containsKey(userId);
    }

    public Collection<ClientSession> all() {
        return byId.values();
    }

    public int count() {
        return byId.size();
    }

    /** Waits until no session is left or the timeout passes; returns whether none is left. */
    public synchronized boolean awaitEmpty(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (!byId.isEmpty()) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** Sessions that went after their outbound queue overflowed (closed as slow consumers). */
    public long slowConsumerCloses() {
        return slowConsumerCloses.sum();
    }

    /** Frames handed to sockets, by every session this node has had (a pass over the live ones). */
    public long framesOut() {
        long n = closedFramesOut.sum();
        for (ClientSession s : byId.values()) {
            n += s.outbound().framesSent();
        }
        return n;
    }

    /** Bytes handed to sockets, like {@link #framesOut}. */
    public long bytesOut() {
        long n = closedBytesOut.sum();
        for (ClientSession s : byId.values()) {
            n += s.outbound().bytesSent();
        }
        return n;
    }

    /** Live sessions of a namespace. */
    public int count(Namespace ns) {
        int n = 0;
        for (ClientSession s : byId.values()) {
            if (s.namespace() == ns) {
                n++;
            }
        }
        return n;
    }

    public int userCount() {
        return byUser.size();
    }
}
