package io.tickroom.server.matchmaking;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.QuickMatchQueued;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.tick.TimeSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Quick match on one node. {@code quick_match { mode }} queues the requesting user (one queue
 * and one match at a time: a user already queued, in a lobby or in a match gets ALREADY_IN);
 * {@code cancel_quick_match} and the queuing session's disconnect remove them. Whenever a mode's
 * queue may hold a match — on every enqueue, and every {@code sweepMs} while anyone waits, since
 * windows widen with time — the matchmaker forms groups of the mode's quick-match size: the
 * longest-waiting player anchors a group and takes the next arrivals that fit the
 * {@link RatingWindow} with everyone already in the group. Each formed group becomes a match
 * through {@link MatchService#create}, which pushes {@code match_found} to every player.
 */
public final class QuickMatchService implements SessionListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QuickMatchService.class);

    record Waiting(String userId, String name, ClientSession session, int rating, long sinceMs) {
    }

    private final GameModes modes;
    private final MatchService matches;
    private final TimeSource time;
    private final RatingWindow window;
    private final int maxQueuedPerMode;
    private final Predicate<String> inLobby;
    private final Predicate<ClientSession> live;
    private final Map<String, LinkedHashMap<String, Waiting>> queues = new ConcurrentHashMap<>();
    private final Map<String, String> modeByUser = new ConcurrentHashMap<>();
    private final ScheduledExecutorService matchmaker;

    public QuickMatchService(GameModes modes, MatchService matches, TimeSource time, RatingWindow window,
            int maxQueuedPerMode, Predicate<String> inLobby, Predicate<ClientSession> live, long sweepMs) {
        this.modes = modes;
        this.matches = matches;
        this.time = time;
        this.window = window;
        this.maxQueuedPerMode = maxQueuedPerMode;
        this.inLobby = inLobby;
        this.live = live;
        for (GameMode m : modes.all()) {
            queues.put(m.name(), new LinkedHashMap<>());
        }
        this.matchmaker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickroom-matchmaker");
            t.setDaemon(true);
            return t;
        });
        matchmaker.scheduleWithFixedDelay(this::sweep, sweepMs, sweepMs, TimeUnit.MILLISECONDS);
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.QUICK_MATCH, this::enqueue)
                .on(ClientFrame.BodyCase.CANCEL_QUICK_MATCH, this::cancel);
    }

    public boolean isQueued(String userId) {
        return modeByUser.containsKey(userId);
    }

    void enqueue(Request r) {
        String modeName = r.frame().getQuickMatch().getMode();
        if (modeName.isEmpty()) {
            throw ProtocolException.invalid("mode", "required");
        }
        GameMode mode = modes.find(modeName)
                .orElseThrow(() -> ProtocolException.invalid("mode", "unknown game mode"));
        ClientSession s = r.session();
        String user = s.userId();
        if (matches.isInMatch(user) || inLobby.test(user)) {
            throw new ProtocolException(ErrorCode.ALREADY_IN, "in a lobby or a match; leave it first");
        }
        if (modeByUser.putIfAbsent(user, mode.name()) != null) {
            throw new ProtocolException(ErrorCode.ALREADY_IN, "already queued for " + modeByUser.get(user));
        }
        LinkedHashMap<String, Waiting> q = queues.get(mode.name());
        int waiting;
        synchronized (q) {
            if (q.size() >= maxQueuedPerMode) {
                modeByUser.remove(user);
                throw new ProtocolException(ErrorCode.UNAVAILABLE, "the " + mode.name() + " queue is full");
            }
            int rating = s.principal().rating().orElse(RatingWindow.DEFAULT_RATING);
            q.put(user, new Waiting(user, s.principal().name(), s, rating, time.epochMillis()));
            waiting = q.size();
        }
        if (!live.test(s)) {
            // the session closed while this request ran: its close listener may have missed the entry
            remove(user, s);
            return;
        }
        r.reply(ServerFrame.newBuilder().setQuickMatchQueued(
                QuickMatchQueued.newBuilder().setMode(mode.name()).setWaiting(waiting)));
        if (waiting >= mode.quickMatchPlayers()) {
            matchmaker.execute(() -> match(mode));
        }
    }

    void cancel(Request r) {
        if (!remove(r.session().userId(), null)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "not in a quick-match queue");
        }
        r.ok();
    }

    @Override
    public void closed(ClientSession session) {
        remove(session.userId(), session);
    }

    /** Removes the user from its queue (only if queued by {@code bySession}, when given). */
    private boolean remove(String userId, ClientSession bySession) {
        String mode = modeByUser.get(userId);
        if (mode == null) {
            return false;
        }
        LinkedHashMap<String, Waiting> q = queues.get(mode);
        synchronized (q) {
            Waiting w = q.get(userId);
            if (w == null || (bySession != null && w.session() != bySession)) {
                return false;
            }
            q.remove(userId);
            modeByUser.remove(userId, mode);
            return true;
        }
    }

    private void sweep() {
        for (GameMode m : modes.all()) {
            try {
                match(m);
            } catch (RuntimeException e) {
                log.error("matchmaking for {} failed; it retries on the next sweep", m.name(), e);
            }
        }
    }

    /** Forms every group the queue allows right now. Matchmaker thread only. */
    private void match(GameMode mode) {
        LinkedHashMap<String, Waiting> q = queues.get(mode.name());
        int size = mode.quickMatchPlayers();
        while (true) {
            List<Waiting> group;
            synchronized (q) {
                if (q.size() < size) {
                    return;
                }
                group = formGroup(new ArrayList<>(q.values()), size, time.epochMillis(), window);
                if (group == null) {
                    return;
                }
                for (Waiting w : group) {
                    q.remove(w.userId());
                }
            }
            place(mode, group);
        }
    }

    /**
     * The first group the rule allows: anchors in arrival order, each taking the next arrivals
     * that keep the group's rating spread within every member's window. Null when none fits.
     */
    static List<Waiting> formGroup(List<Waiting> all, int size, long nowMs, RatingWindow window) {
        for (int a = 0; a + size <= all.size(); a++) {
            List<Waiting> group = new ArrayList<>(size);
            group.add(all.get(a));
            long lo = all.get(a).rating();
            long hi = lo;
            long narrowest = window.width(nowMs - all.get(a).sinceMs());
            for (Iterator<Waiting> it = all.listIterator(a + 1); it.hasNext() && group.size() < size;) {
                Waiting c = it.next();
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

    private void place(GameMode mode, List<Waiting> group) {
        List<MatchService.Seating> seating = new ArrayList<>();
        for (Waiting w : group) {
            seating.add(new MatchService.Seating(w.userId(), w.name()));
        }
        try {
            matches.create(mode, seating);
        } catch (ProtocolException e) {
            // nothing is dropped silently: every player of the group is told, and may queue again
            log.warn("quick match for {} could not be placed: {}", mode.name(), e.getMessage());
            for (Waiting w : group) {
                w.session().send(Frames.error(0, e.code(), "quick match could not be placed: " + e.getMessage()));
            }
        } finally {
            for (Waiting w : group) {
                modeByUser.remove(w.userId(), mode.name());
            }
        }
    }

    /** Players waiting over all modes. */
    public int queuedCount() {
        return modeByUser.size();
    }

    @Override
    public void close() {
        matchmaker.shutdownNow();
    }
}
