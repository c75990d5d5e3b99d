package io.tickroom.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The live sessions of this node, by id and by user, and the front door of their life cycle.
 * {@link #open} and {@link #close} only hand over: the session's lane registers it and tells the
 * listeners it opened, runs its requests, then removes it and tells the listeners it closed, in
 * that order, once each (see {@link SessionLanes}). Thread-safe. Bounded by the number of open
 * connections; an entry exists from its lane's open to its lane's close.
 */
public final class SessionRegistry {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SessionRegistry.class);
    private final SessionLanes lanes;
    private final Map<String, ClientSession> byId = new ConcurrentHashMap<>();
    /**
     * Each user's sessions here, as an immutable list replaced under the key's {@code compute}: a
     * user has one or two, so a list of them costs less than a concurrent set per user and is its
     * own snapshot.
     */
    private final Map<String, List<ClientSession>> byUser = new ConcurrentHashMap<>();

    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Sessions handed to {@link #open} whose close has not run yet (what {@link #awaitEmpty} waits for). */
    private int unfinished;

    private final java.util.concurrent.atomic.LongAdder slowConsumerCloses =
            new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder openFailures = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedFramesOut = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder closedBytesOut = new java.util.concurrent.atomic.LongAdder();

    public SessionRegistry(SessionLanes lanes) {
        this.lanes = lanes;
    }

    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    /** Takes a new session on: its lane registers it and tells the listeners. Any thread; returns at once. */
    public void open(ClientSession session) {
        open(session, () -> {});
    }

    /**
     * Like {@link #open}; {@code then} runs on the lane once the listeners have been told (the
     * gateway releases the held welcome there).
     */
    public void open(ClientSession session, Runnable then) {
        synchronized (this) {
            unfinished++;
        }
        lanes.open(session, () -> opened(session, then), () -> closed(session));
    }

    /**
     * The transport is gone: the session's close goes onto its lane (unless the session was
     * closed before), after what the lane had accepted. Idempotent; any thread.
     */
    public void close(ClientSession session) {
        session.transportClosed(0, "");
    }

    /**
     * On the session's lane, first. All or nothing: a listener that fails (its store unreachable,
     * say) closes the session 1011 "session could not be opened; reconnect" after the others ran,
     * without releasing what was queued for it (its welcome), and the close that follows tells
     * every listener, which undoes what each did: the counts go back to zero.
     */
    private void opened(ClientSession session, Runnable then) {
        byId.put(session.id(), session);
        byUser.compute(session.userId(), (k, list) -> list == null ? List.of(session) : with(list, session));
        boolean failed = false;
        for (SessionListener l : listeners) {
            try {
                l.opened(session);
            } catch (RuntimeException e) {
                failed = true;
                log.error("listener failed while opening {}", session, e);
            }
        }
        if (failed) {
            openFailures.increment();
            session.outbound().discardHeld(); // the welcome of a session that never was does not go out
            session.close(CloseCodes.SERVER_ERROR, CloseCodes.OPEN_FAILED);
            return;
        }
        then.run();
    }

    /** On the session's lane, last: nothing runs on it afterwards. Listeners hear of it once. */
    private void closed(ClientSession session) {
        try {
            if (byId.remove(session.id()) == null) {
                return;
            }
            byUser.computeIfPresent(session.userId(), (k, list) -> without(list, session));
            if (session.outbound().overflowedAtNs() != 0) {
                slowConsumerCloses.increment();
            }
            closedFramesOut.add(session.outbound().framesSent());
            closedBytesOut.add(session.outbound().bytesSent());
            for (SessionListener l : listeners) {
                try {
                    l.closed(session);
                } catch (RuntimeException e) {
                    log.error("listener failed while closing {}", session, e);
                }
            }
        } finally {
            synchronized (this) {
                unfinished--;
                notifyAll();
            }
        }
    }

    public ClientSession get(String sessionId) {
        return byId.get(sessionId);
    }

    /** The user's sessions on this node (a snapshot); empty when none. */
    public List<ClientSession> sessionsOf(String userId) {
        List<ClientSession> s = byUser.get(userId);
        return s == null ? List.of() : s;
    }

    private static List<ClientSession> with(List<ClientSession> list, ClientSession added) {
        if (list.contains(added)) {
            return list;
        }
        ArrayList<ClientSession> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(added);
        return List.copyOf(out);
    }

    /** The list without {@code removed}; null (the key removed) when nothing is left. */
    private static List<ClientSession> without(List<ClientSession> list, ClientSession removed) {
        if (!list.contains(removed)) {
            return list;
        }
        ArrayList<ClientSession> out = new ArrayList<>(list);
        out.remove(removed);
        return out.isEmpty() ? null : List.copyOf(out);
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

    /**
     * Waits until every session handed to {@link #open} has had its close run on its lane, or the
     * timeout passes; returns whether none is left.
     */
    public synchronized boolean awaitEmpty(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        while (unfinished > 0) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMs <= 0) {
                return false;
            }
            wait(leftMs);
        }
        return true;
    }

    /** Sessions whose open failed and was rolled back (closed 1011 before their welcome). */
    public long openFailures() {
        return openFailures.sum();
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
