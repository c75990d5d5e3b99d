package io.tickroom.server.matchmaking;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.QuickMatchQueued;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.MatchQueue;
import io.tickroom.server.cluster.MatchQueue.Entry;
import io.tickroom.server.cluster.Presence;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchPlacement;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.thread.NodeThreads;
import io.tickroom.server.tick.TimeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quick match. {@code quick_match { mode }} queues the requesting user (one queue and one match
 * at a time: a user already queued, in a lobby or in a match gets ALREADY_IN);
 * {@code cancel_quick_match} and the queuing session's disconnect remove them. The queues live
 * in a {@link MatchQueue}: in memory on a single node, in Redis when clustered, where they are
 * shared by every node. Whenever a mode's queue may hold a match — on every enqueue, and every
 * {@code sweepMs}, since windows widen with time — the node holding the mode's matchmaker lease
 * forms groups of the mode's quick-match size: the longest-waiting player anchors a group and
 * takes the next arrivals that fit the {@link RatingWindow} with everyone already in the group.
 * A group is taken from the queue atomically (fenced by the lease) and becomes a match on the
 * matchmaker's node through {@link MatchService#create}, which pushes {@code match_found} to every
 * player on every node.
 */
public final class QuickMatchService implements SessionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuickMatchService.class);
    private static final long LEASE_TTL_MS = 2_000;

    private final GameModes modes;
    private final MatchService matches;
    private final MatchQueue queue;
    private final Streams streams;
    private final TimeSource time;
    private final RatingWindow window;
    private final int maxQueuedPerMode;
    /** The lobby a user is a member of, if any. */
    private final Function<String, Optional<String>> lobbyOf;

    private final String nodeId;
    /** The session that queued each user queued through this node (its close removes the entry). */
    private final Map<String, ClientSession> queuedHere = new ConcurrentHashMap<>();

    private final ScheduledExecutorService matchmaker;
    private final long sweepMs;
    /** Queued users are recorded as present on this node, so a dead node's are dropped. */
    private final Presence presence;
    /** Matches go where most of their players queued. */
    private final MatchPlacement placement;
    /** A user's enqueue is atomic with its lobby creates and joins (shared with the lobby service). */
    private volatile io.tickroom.server.room.StripedLocks userLocks = new io.tickroom.server.room.StripedLocks(1024);

    public QuickMatchService(
            GameModes modes,
            MatchService matches,
            MatchQueue queue,
            Streams streams,
            TimeSource time,
            RatingWindow window,
            int maxQueuedPerMode,
            Function<String, Optional<String>> lobbyOf,
            String nodeId,
            long sweepMs,
            Presence presence,
            MatchPlacement placement,
            java.util.concurrent.ThreadFactory matchmakerThread) {
        this.modes = modes;
        this.matches = matches;
        this.queue = queue;
        this.streams = streams;
        this.time = time;
        this.window = window;
        this.maxQueuedPerMode = maxQueuedPerMode;
        this.lobbyOf = lobbyOf;
        this.nodeId = nodeId;
        this.presence = presence;
        this.placement = placement;
        this.sweepMs = sweepMs;
        this.matchmaker = Executors.newSingleThreadScheduledExecutor(matchmakerThread);
    }

    /** Starts the periodic sweep (the node's start). Once. */
    public void start() {
        matchmaker.scheduleWithFixedDelay(NodeThreads.escalating(this::sweep), sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.QUICK_MATCH, this::enqueue).on(ClientFrame.BodyCase.CANCEL_QUICK_MATCH, this::cancel);
    }

    public boolean isQueued(String userId) {
        return queue.isQueued(userId);
    }

    /** Shares the per-user locks with the lobby service (see {@code LobbyService#serializePerUser}). Once, at wiring. */
    public void serializePerUser(io.tickroom.server.room.StripedLocks locks) {
        this.userLocks = locks;
    }

    void enqueue(Request r) {
        String modeName = r.frame().getQuickMatch().getMode();
        if (modeName.isEmpty()) {
            throw ProtocolException.invalid("mode", "required");
        }
        GameMode mode = modes.find(modeName).orElseThrow(() -> ProtocolException.invalid("mode", "unknown game mode"));
        if (!mode.quickMatch()) {
            throw new ProtocolException(
                    ErrorCode.UNSUPPORTED, "mode " + mode.name() + " has no quick match; use a lobby");
        }
        ClientSession s = r.session();
        String user = s.userId();
        int rating = s.principal().rating().orElse(RatingWindow.DEFAULT_RATING);
        MatchQueue.Added added;
        synchronized (userLocks.of(user)) {
            // checked and queued at once: another tab of the user cannot create or join a lobby in between
            // named, so that a client can go back to it
            Optional<String> match = matches.matchOf(user);
            if (match.isPresent()) {
                throw new ProtocolException(
                        ErrorCode.ALREADY_IN, "already in match " + match.get() + "; leave it first");
            }
            Optional<String> lobby = lobbyOf.apply(user);
            if (lobby.isPresent()) {
                throw new ProtocolException(
                        ErrorCode.ALREADY_IN, "already in lobby " + lobby.get() + "; leave it first");
            }
            added = queue.add(
                    mode.name(),
                    new Entry(user, s.principal().name(), rating, time.epochMillis(), nodeId),
                    maxQueuedPerMode);
        }
        if (added == MatchQueue.Added.ALREADY_QUEUED) {
            throw new ProtocolException(ErrorCode.ALREADY_IN, "already in a quick-match queue");
        }
        if (added == MatchQueue.Added.FULL) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "the " + mode.name() + " queue is full");
        }
        queuedHere.put(user, s);
        presence.present(user);
        int waiting = queue.size(mode.name());
        r.reply(ServerFrame.newBuilder()
                .setQuickMatchQueued(
                        QuickMatchQueued.newBuilder().setMode(mode.name()).setWaiting(waiting)));
        if (waiting >= mode.quickMatchPlayers()) {
            matchmaker.execute(NodeThreads.escalating(() -> match(mode)));
        }
    }

    void cancel(Request r) {
        String user = r.session().userId();
        queuedHere.remove(user);
        if (!queue.remove(user)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "not in a quick-match queue");
        }
        r.ok();
    }

    /** On the session's lane, after its requests: an entry its enqueue made is seen and removed here. */
    @Override
    public void closed(ClientSession session) {
        leave(session.userId(), session);
    }

    /** A node died holding this user and no live node does: drop its queue entry. Any thread. */
    public void evict(String userId) {
        queue.remove(userId);
    }

    private void leave(String userId, ClientSession bySession) {
        if (queuedHere.remove(userId, bySession)) {
            queue.remove(userId);
        }
    }

    /** Sweeps in a row that failed (matchmaker thread only): a store outage is logged when it starts and ends. */
    private volatile long failedSweeps;

    private final java.util.concurrent.atomic.LongAdder sweepFailures = new java.util.concurrent.atomic.LongAdder();

    private final java.util.concurrent.atomic.LongAdder sweeps = new java.util.concurrent.atomic.LongAdder();

    private void sweep() {
        sweeps.increment();
        RuntimeException failure = null;
        String failedMode = null;
        for (GameMode m : modes.all()) {
            try {
                match(m);
            } catch (RuntimeException e) {
                failure = e;
                failedMode = m.name();
            }
        }
        if (failure != null) {
            sweepFailures.increment();
            if (failedSweeps++ == 0) {
                // once per outage, not once per mode per sweep (25 lines a second)
                log.warn(
                        "matchmaking paused: a sweep failed ({} first: {}); it retries every sweep and says when it"
                                + " is back",
                        failedMode,
                        failure.toString());
            } else {
                log.debug("matchmaking still paused ({} failed sweeps): {}", failedSweeps, failure.toString());
            }
        } else if (failedSweeps > 0) {
            log.info("matchmaking resumed after {} failed sweeps", failedSweeps);
            failedSweeps = 0;
        }
    }

    /** Whether the last sweep failed (matchmaking is paused until one succeeds). */
    public boolean paused() {
        return failedSweeps > 0;
    }

    /** Matchmaking sweeps begun, in all (each looks at every mode). */
    public long sweeps() {
        return sweeps.sum();
    }

    /** Matchmaking sweeps that failed (a store outage, say), in all. */
    public long sweepFailures() {
        return sweepFailures.sum();
    }

    /** Forms every group the queue allows right now, if this node holds the mode's lease. Matchmaker thread only. */
    private void match(GameMode mode) {
        if (!mode.quickMatch()) {
            return; // quick match off for this mode: nobody can be queued for it
        }
        int size = mode.quickMatchPlayers();
        if (queue.size(mode.name()) < size) {
            return;
        }
        long fence = queue.lease(mode.name(), nodeId, LEASE_TTL_MS);
        if (fence < 0) {
            return;
        }
        List<Entry> all = new ArrayList<>(queue.waiting(mode.name()));
        while (all.size() >= size) {
            List<Entry> group = formGroup(all, size, time.epochMillis(), window);
            if (group == null) {
                return;
            }
            all.removeAll(group);
            if (queue.take(
                    mode.name(),
                    nodeId,
                    fence,
                    group.stream().map(Entry::userId).toList())) {
                place(mode, group);
            }
        }
    }

    /**
     * The first group the rule allows: anchors in arrival order, each taking the next arrivals
     * that keep the group's rating spread within every member's window. Null when none fits.
     */
    static List<Entry> formGroup(List<Entry> all, int size, long nowMs, RatingWindow window) {
        for (int a = 0; a + size <= all.size(); a++) {
            List<Entry> group = new ArrayList<>(size);
            group.add(all.get(a));
            long lo = all.get(a).rating();
            long hi = lo;
            long narrowest = window.width(nowMs - all.get(a).sinceMs());
            for (Iterator<Entry> it = all.listIterator(a + 1); it.hasNext() && group.size() < size; ) {
                Entry c = it.next();
                long newLo = Math.min(lo, c.rating());
                long newHi = Math.max(hi, c.rating());
                long newNarrowest = Math.min(narrowest, window.width(nowMs - c.sinceMs()));
                if (newHi - newLo <= newNarrowest) {
                    group.add(c);
                    lo = newLo;
                    hi = newHi;
                    narrowest = newNarrowest;
                }
            }
            if (group.size() == size) {
                return group;
            }
        }
        return null;
    }

    private void place(GameMode mode, List<Entry> group) {
        List<MatchService.Seating> seating = new ArrayList<>();
        for (Entry w : group) {
            seating.add(new MatchService.Seating(w.userId(), w.name()));
            queuedHere.remove(w.userId());
        }
        java.util.concurrent.CompletableFuture<String> placed;
        try {
            Map<String, String> nodeOf = new java.util.HashMap<>();
            group.forEach(w -> nodeOf.put(w.userId(), w.nodeId()));
            placed = placement.place(mode, seating, placement.choose(seating, nodeOf));
        } catch (ProtocolException e) {
            placed = java.util.concurrent.CompletableFuture.failedFuture(e);
        }
        placed.whenComplete((node, failure) -> {
            Throwable cause =
                    failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
            if (cause instanceof ProtocolException e) {
                // nothing is dropped silently: every player of the group is told, and may queue again
                log.warn("quick match for {} could not be placed: {}", mode.name(), e.getMessage());
                for (Entry w : group) {
                    streams.publish(
                            RoomId.user(w.userId()),
                            ServerFrame.newBuilder()
                                    .setError(Frames.error(
                                                    0, e.code(), "quick match could not be placed: " + e.getMessage())
                                            .getError()));
                }
            } else if (cause != null) {
                log.error("quick match for {} failed", mode.name(), cause);
            }
        });
    }

    /**
     * Players queued through this node. Entries another node's matchmaker took are forgotten
     * here, on read (health and leak checks), rather than with a store look-up per player on
     * every matchmaking sweep.
     */
    public int queuedCount() {
        queuedHere.keySet().removeIf(u -> !queue.isQueued(u));
        return queuedHere.size();
    }

    @Override
    public void close() {
        matchmaker.shutdownNow();
    }
}
