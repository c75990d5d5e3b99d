package io.tickroom.server.match;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.MatchEnded;
import io.tickroom.protocol.v1.MatchJoined;
import io.tickroom.protocol.v1.MatchResult;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Frames;
import io.tickroom.server.session.Request;
import io.tickroom.server.tick.Tickable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One match room: its seats, its game and its inbox, run by one tick thread.
 *
 * <p>Design note. Other threads never touch a match's state: they offer commands (claims,
 * inputs, leaves) into its bounded inbox (policy: reject newest, the sender gets RATE_LIMITED)
 * and connection drops into a separate queue that is bounded by the seats' sessions, so a drop
 * is never lost to a flood of inputs. Each tick first applies what arrived, in arrival order,
 * then advances the game. Phases: WAITING (seats reserved, tokens out) → RUNNING (the game has
 * started) → ENDED (players told, everything released, the loop drops it).
 */
final class Match implements Tickable, MatchContext {
    private static final Logger log = LoggerFactory.getLogger(Match.class);

    enum Phase {
        WAITING,
        RUNNING,
        ENDED
    }

    sealed interface Command permits Claim, Input, Leave, Rebind {}

    /** A resumed session takes over its user's claimed seat (the old connection is gone). */
    record Rebind(ClientSession session) implements Command {}

    record Claim(ClientSession session, Request request, SeatTokens.Seat seat) implements Command {}

    record Input(ClientSession session, Request request, long clientTick, ByteString payload) implements Command {}

    record Leave(ClientSession session, Request request) implements Command {}

    /** A seated connection went: its seat is held for the grace, or given up ({@code release}). */
    private record Drop(ClientSession session, boolean release) {}

    private static final class Seat {
        final Player player;
        ClientSession holder;
        boolean everClaimed;
        long disconnectedAtMs;
        boolean released;

        Seat(Player player) {
            this.player = player;
        }
    }

    private final String id;
    /** The id as snapshots carry it, encoded once. */
    private final ByteString wireId;

    private final GameMode mode;
    private final MatchLogic logic;
    private final MatchHost host;
    private final Seat[] seats;
    private final long reservationDeadlineMs;
    private final ArrayBlockingQueue<Command> inbox;
    private final Map<String, String> settings;
    private final Queue<Drop> drops = new ConcurrentLinkedQueue<>();
    private final LongAdder rejected = new LongAdder();
    private Phase phase = Phase.WAITING;
    private long tick;
    /** {@link #players()} until a seat is released (tick thread). */
    private List<Player> playersCache;

    private String endReason;
    private List<Result> results = List.of();
    private volatile boolean finished;
    private volatile int seatsHeld;

    Match(
            String id,
            GameMode mode,
            MatchLogic logic,
            MatchHost host,
            List<Player> players,
            long createdAtMs,
            Map<String, String> settings) {
        this.id = id;
        this.wireId = ByteString.copyFromUtf8(id);
        this.settings = Map.copyOf(settings);
        this.mode = mode;
        this.logic = logic;
        this.host = host;
        this.seats = new Seat[players.size()];
        for (int i = 0; i < seats.length; i++) {
            seats[i] = new Seat(players.get(i));
        }
        this.reservationDeadlineMs = createdAtMs + mode.seatReservationTtlMs();
        this.inbox = new ArrayBlockingQueue<>(mode.inboxCapacity());
    }

    // ------------------------------------------------------------------ any thread

    /** Queues a command for the next tick; false when the inbox is full (the caller answers). */
    boolean offer(Command c) {
        if (finished || !inbox.offer(c)) {
            rejected.increment();
            return false;
        }
        return true;
    }

    /** A session bound to this match has gone; applied on the next tick. */
    void dropped(ClientSession session) {
        drops.add(new Drop(session, false));
    }

    /**
     * The user closed its last connection on purpose: the seat goes on the next tick, as on
     * {@code leave_match}, rather than being held for the reconnect grace.
     */
    void gaveUp(ClientSession session) {
        drops.add(new Drop(session, true));
    }

    long rejectedCommands() {
        return rejected.sum();
    }

    int inboxSize() {
        return inbox.size();
    }

    // ------------------------------------------------------------------ tick thread

    @Override
    public long tickIntervalNs() {
        return mode.tickIntervalNs();
    }

    @Override
    public void tick(long tickNumber, long nowNs) {
        this.tick = tickNumber;
        long nowMs = host.nowMs();
        Drop gone;
        while ((gone = drops.poll()) != null) {
            drop(gone, nowMs);
        }
        Command c;
        while (phase != Phase.ENDED && (c = inbox.poll()) != null) {
            apply(c, nowMs);
        }
        if (phase == Phase.WAITING) {
            maybeStart(nowMs);
        }
        if (phase == Phase.RUNNING) {
            expireGrace(nowMs);
        }
        if (phase == Phase.RUNNING && endReason == null) {
            logic.onTick(this, tickNumber);
        }
        if (endReason != null && phase != Phase.ENDED) {
            finish();
        }
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void failed(Throwable error, long nowNs) {
        log.error("match {} ({}): game logic failed; ending the match", id, mode.name(), error);
        if (phase != Phase.ENDED) {
            endReason = "internal error";
            results = List.of();
            finish();
        }
    }

    private void apply(Command c, long nowMs) {
        if (c instanceof Input in) {
            input(in);
        } else if (c instanceof Claim claim) {
            claim(claim, nowMs);
        } else if (c instanceof Leave leave) {
            leave(leave);
        } else if (c instanceof Rebind rebind) {
            rebind(rebind.session());
        }
    }

    private void claim(Claim c, long nowMs) {
        Seat seat = c.seat().seat() < seats.length ? seats[c.seat().seat()] : null;
        if (seat == null || !seat.player.userId().equals(c.session().userId())) {
            c.request().fail(ErrorCode.FORBIDDEN, "seat token is for another player");
            return;
        }
        if (seat.released) {
            c.request().fail(ErrorCode.EXPIRED, "seat released: the reconnect grace is over or the player left");
            return;
        }
        if (!seat.everClaimed && nowMs > c.seat().expiresAtMs()) {
            c.request().fail(ErrorCode.EXPIRED, "seat token expired before it was claimed");
            return;
        }
        if (seat.holder == c.session()) {
            c.request().reply(joined(seat));
            return;
        }
        if (seat.holder != null && seat.holder.isAlive()) {
            c.request().fail(ErrorCode.CONFLICT, "seat is held by another live connection");
            return;
        }
        if (!host.bind(c.session(), this)) {
            c.request().fail(ErrorCode.UNAVAILABLE, "this connection is closing");
            return;
        }
        if (seat.holder != null) {
            host.unbind(seat.holder, this);
        }
        boolean reconnect = seat.everClaimed;
        seat.holder = c.session();
        seat.everClaimed = true;
        seat.disconnectedAtMs = 0;
        seatsHeld = countHeld();
        c.request().reply(joined(seat));
        if (!reconnect) {
            logic.onJoin(this, seat.player);
        } else if (phase == Phase.RUNNING) {
            logic.onReconnect(this, seat.player);
        }
    }

    /**
     * Resume: the user's seat, claimed before and not released, moves to the resumed session if
     * its holder is gone; the session gets {@code match_joined} (a push) and the snapshots from
     * the next tick on. Anything else (never claimed, released, held by a live connection) is
     * left alone: the client claims with its seat token as usual.
     */
    private void rebind(ClientSession session) {
        for (Seat seat : seats) {
            if (!seat.player.userId().equals(session.userId())) {
                continue;
            }
            if (!seat.everClaimed
                    || seat.released
                    || seat.holder == session
                    || (seat.holder != null && seat.holder.isAlive())
                    || !host.bind(session, this)) {
                return;
            }
            if (seat.holder != null) {
                host.unbind(seat.holder, this);
            }
            seat.holder = session;
            seat.disconnectedAtMs = 0;
            seatsHeld = countHeld();
            session.send(joined(seat).build());
            if (phase == Phase.RUNNING) {
                logic.onReconnect(this, seat.player);
            }
            return;
        }
    }

    private ServerFrame.Builder joined(Seat seat) {
        MatchJoined.Builder b = MatchJoined.newBuilder()
                .setMatchId(id)
                .setMode(mode.name())
                .setSeat(seat.player.seat())
                .setTickRateHz(mode.tickRateHz());
        for (Seat s : seats) {
            b.addPlayerUserIds(s.player.userId());
        }
        return ServerFrame.newBuilder().setMatchJoined(b);
    }

    private void input(Input in) {
        Seat seat = seatOf(in.session());
        if (seat == null) {
            in.request().fail(ErrorCode.FORBIDDEN, "this connection holds no seat in match " + id);
            return;
        }
        if (phase != Phase.RUNNING) {
            in.request().fail(ErrorCode.NOT_READY, "match " + id + " has not started");
            return;
        }
        logic.onInput(this, seat.player, in.clientTick(), in.payload());
        in.request().ok();
    }

    private void leave(Leave l) {
        Seat seat = seatOf(l.session());
        if (seat == null) {
            l.request().fail(ErrorCode.NOT_FOUND, "this connection holds no seat in match " + id);
            return;
        }
        release(seat);
        l.request().ok();
    }

    private void drop(Drop d, long nowMs) {
        ClientSession session = d.session();
        Seat seat = seatOf(session);
        if (seat == null) {
            return;
        }
        if (d.release()) {
            release(seat);
            return;
        }
        seat.holder = null;
        seat.disconnectedAtMs = nowMs;
        seatsHeld = countHeld();
        host.unbind(session, this);
        if (phase == Phase.RUNNING) {
            logic.onDisconnect(this, seat.player);
        }
    }

    private void release(Seat seat) {
        if (seat.released) {
            return;
        }
        seat.released = true;
        playersCache = null;
        if (seat.holder != null) {
            host.unbind(seat.holder, this);
            seat.holder = null;
        }
        seatsHeld = countHeld();
        host.released(seat.player.userId(), this);
        if (phase == Phase.RUNNING) {
            logic.onLeave(this, seat.player);
        }
    }

    private void maybeStart(long nowMs) {
        int claimed = 0;
        for (Seat s : seats) {
            if (s.everClaimed && !s.released) {
                claimed++;
            }
        }
        if (claimed == seats.length) {
            start();
        } else if (nowMs >= reservationDeadlineMs) {
            if (mode.startShortHanded() && claimed >= Math.max(1, Math.min(mode.minPlayers(), seats.length))) {
                for (Seat s : seats) {
                    if (!s.everClaimed) {
                        release(s);
                    }
                }
                start();
            } else {
                endReason = "aborted: not every player took a seat in time";
            }
        }
    }

    private void start() {
        phase = Phase.RUNNING;
        logic.onStart(this, players());
    }

    private void expireGrace(long nowMs) {
        boolean anyone = false;
        for (Seat s : seats) {
            if (!s.released
                    && s.holder == null
                    && s.disconnectedAtMs != 0
                    && nowMs - s.disconnectedAtMs >= mode.reconnectGraceMs()) {
                release(s);
            }
            anyone |= !s.released;
        }
        if (!anyone && endReason == null) {
            endReason = "abandoned: every player left";
        }
    }

    private void finish() {
        phase = Phase.ENDED;
        MatchEnded.Builder ended = MatchEnded.newBuilder().setMatchId(id).setReason(endReason);
        for (Result r : results) {
            ended.addResults(MatchResult.newBuilder()
                    .setUserId(r.userId())
                    .setScore(r.score())
                    .setRank(r.rank()));
        }
        // release first: a player told the match is over may act on it at once (join a lobby,
        // queue again) and must not find itself still seated
        for (Seat s : seats) {
            if (s.holder != null) {
                host.unbind(s.holder, this);
                s.holder = null;
            }
            if (!s.released) {
                s.released = true;
                playersCache = null;
                host.released(s.player.userId(), this);
            }
        }
        for (Seat s : seats) {
            host.publishToUser(s.player.userId(), ServerFrame.newBuilder().setMatchEnded(ended));
        }
        seatsHeld = 0;
        inbox.clear();
        drops.clear();
        finished = true;
        host.ended(this);
    }

    private Seat seatOf(ClientSession session) {
        for (Seat s : seats) {
            if (s.holder == session) {
                return s;
            }
        }
        return null;
    }

    private int countHeld() {
        int n = 0;
        for (Seat s : seats) {
            if (s.holder != null) {
                n++;
            }
        }
        return n;
    }

    // ------------------------------------------------------------------ MatchContext (tick thread)

    @Override
    public String matchId() {
        return id;
    }

    @Override
    public GameMode mode() {
        return mode;
    }

    @Override
    public Map<String, String> settings() {
        return settings;
    }

    @Override
    public long tick() {
        return tick;
    }

    @Override
    public long nowMs() {
        return host.nowMs();
    }

    @Override
    public long nowMicros() {
        return host.nowMicros();
    }

    @Override
    public List<Player> players() {
        // a game asks every tick: the list is rebuilt only when a seat is released
        List<Player> out = playersCache;
        if (out == null) {
            List<Player> held = new ArrayList<>(seats.length);
            for (Seat s : seats) {
                if (!s.released) {
                    held.add(s.player);
                }
            }
            out = playersCache = List.copyOf(held);
        }
        return out;
    }

    @Override
    public boolean isConnected(Player p) {
        Seat s = seats[p.seat()];
        return s.holder != null;
    }

    @Override
    public void broadcastSnapshot(ByteString payload) {
        if (seatsHeld == 0) {
            return;
        }
        host.emitSnapshot(this, Frames.snapshot(wireId, tick, payload));
    }

    @Override
    public void sendSnapshot(Player p, ByteString payload) {
        ClientSession holder = seats[p.seat()].holder;
        if (holder != null) {
            holder.outbound().offerLatest(id, Frames.snapshot(wireId, tick, payload));
        }
    }

    @Override
    public void end(String reason, List<Result> matchResults) {
        if (endReason == null) {
            endReason = reason;
            results = List.copyOf(matchResults);
        }
    }

    // ------------------------------------------------------------------ reads from any thread

    String id() {
        return id;
    }

    int seatsHeld() {
        return seatsHeld;
    }

    int seatCount() {
        return seats.length;
    }
}
