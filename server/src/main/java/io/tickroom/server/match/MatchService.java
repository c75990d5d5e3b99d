package io.tickroom.server.match;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.MatchFound;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Ids;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TickStats;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The node's matches: creates them (from a lobby start or quick match), hands out seat tokens,
 * routes {@code join_match}, {@code match_input} and {@code leave_match} into the right match's
 * inbox, and tells a match when a seated connection drops. The three handlers run inline on
 * Jetty threads (they only verify and hand over: no session state, no Redis) and never touch
 * match state: the match's tick thread answers claims and inputs. A seat is bound to a session
 * only while it is alive ({@link ClientSession#ifAlive}), and the session's close (on its lane)
 * unbinds it, so a claim racing a close leaves nothing behind. What a match sends to other
 * nodes (its {@code match_ended}) leaves through the streams' outbox, so a tick never waits on Redis.
 *
 * <p>A user is in at most one match at a time ({@link #isInMatch}); {@link #create} claims all
 * of its players atomically or none. Server-internal: not part of the game API.
 */
public final class MatchService implements SessionListener {
    /** A created match: where it runs and each player's seat token. */
    public record Placement(String matchId, String endpoint, Map<String, String> seatTokens, long expiresAtMs) {}

    /** Someone to seat: user id and display name. */
    public record Seating(String userId, String name) {}

    private final GameModes modes;
    private final TickScheduler scheduler;
    private final Rooms rooms;
    private final Streams streams;
    private final SeatTokens seatTokens;
    private final TimeSource time;
    private final String nodeId;
    private final Supplier<String> endpoint;
    private final int maxMatches;
    private final Map<String, Match> matches = new ConcurrentHashMap<>();
    private final Map<String, TickStats> stats = new ConcurrentHashMap<>();
    private final Map<String, String> matchByUser = new ConcurrentHashMap<>();
    private final Map<ClientSession, Match> matchBySession = new ConcurrentHashMap<>();
    private final Host host = new Host();
    private volatile boolean draining;
    private final MatchDirectory directory;
    private final Map<String, MatchDirectory.Entry> entries = new ConcurrentHashMap<>();

    /** Whether the user has a live session on this node (the closing one already removed). */
    private final java.util.function.Predicate<String> userOnlineHere;

    public MatchService(
            GameModes modes,
            TickScheduler scheduler,
            Rooms rooms,
            Streams streams,
            SeatTokens seatTokens,
            TimeSource time,
            String nodeId,
            Supplier<String> endpoint,
            int maxMatches,
            MatchDirectory directory,
            java.util.function.Predicate<String> userOnlineHere) {
        this.directory = directory;
        this.userOnlineHere = userOnlineHere;
        this.modes = modes;
        this.scheduler = scheduler;
        this.rooms = rooms;
        this.streams = streams;
        this.seatTokens = seatTokens;
        this.time = time;
        this.nodeId = nodeId;
        this.endpoint = endpoint;
        this.maxMatches = maxMatches;
    }

    public void register(Dispatcher.Builder d) {
        d.on(
                        ClientFrame.BodyCase.LIST_MODES,
                        r -> r.reply(ServerFrame.newBuilder().setModeList(modes.listing())))
                .on(ClientFrame.BodyCase.JOIN_MATCH, this::joinMatch)
                .on(ClientFrame.BodyCase.MATCH_INPUT, this::input)
                .on(ClientFrame.BodyCase.LEAVE_MATCH, this::leaveMatch);
    }

    /**
     * Creates a match of {@code mode} for these players (seat order as given), schedules it, and
     * pushes a reliable {@code match_found} to each player's user stream. Fails with ALREADY_IN
     * when a player is already in a match (then nobody is claimed), UNAVAILABLE past the match cap.
     */
    public Placement create(GameMode mode, List<Seating> players) {
        return create(mode, players, Map.of());
    }

    /**
     * {@link #create(GameMode, List)} with the match's settings ({@link MatchContext#settings()}:
     * the attributes of the lobby it starts from).
     */
    public Placement create(GameMode mode, List<Seating> players, Map<String, String> settings) {
        if (draining) {
            throw new ProtocolException(ErrorCode.UNAVAILABLE, "this server is draining; it starts no new matches");
        }
        if (matches.size() >= maxMatches) {
            throw new ProtocolException(
                    ErrorCode.UNAVAILABLE, "this server runs its maximum of " + maxMatches + " matches");
        }
        String id = Ids.newId(12);
        List<String> claimed = new ArrayList<>();
        for (Seating p : players) {
            String other = matchByUser.putIfAbsent(p.userId(), id);
            if (other != null) {
                claimed.forEach(u -> matchByUser.remove(u, id));
                throw new ProtocolException(ErrorCode.ALREADY_IN, p.userId() + " is already in match " + other);
            }
            claimed.add(p.userId());
        }
        long nowMs = time.epochMillis();
        List<Player> seated = new ArrayList<>();
        for (int i = 0; i < players.size(); i++) {
            seated.add(new Player(players.get(i).userId(), players.get(i).name(), i));
        }
        Match match = new Match(id, mode, mode.logic().get(), host, seated, nowMs, settings);
        matches.put(id, match);
        stats.put(id, scheduler.schedule(match));
        long expiresAtMs = nowMs + mode.seatReservationTtlMs();
        Map<String, String> tokens = new java.util.LinkedHashMap<>();
        String url = endpoint.get();
        MatchDirectory.Entry entry =
                new MatchDirectory.Entry(id, nodeId, mode.name(), url, List.copyOf(claimed), nowMs);
        entries.put(id, entry);
        directory.add(entry);
        for (Player p : seated) {
            String token = seatTokens.mint(new SeatTokens.Seat(id, p.userId(), p.seat(), expiresAtMs, nodeId));
            tokens.put(p.userId(), token);
            streams.publish(
                    RoomId.user(p.userId()),
                    ServerFrame.newBuilder()
                            .setMatchFound(MatchFound.newBuilder()
                                    .setMatchId(id)
                                    .setEndpoint(url)
                                    .setSeatToken(token)
                                    .setExpiresAtMs(expiresAtMs)
                                    .setMode(mode.name())));
        }
        return new Placement(id, url, tokens, expiresAtMs);
    }

    /**
     * A session was resumed: if its user holds a claimed seat in a match here whose connection
     * is gone, the session takes the seat over (match_joined, then snapshots). Any thread.
     */
    public void resumed(ClientSession session) {
        String matchId = matchByUser.get(session.userId());
        Match match = matchId == null ? null : matches.get(matchId);
        if (match != null) {
            match.offer(new Match.Rebind(session));
        }
    }

    /** The node drains: no new matches; running ones finish. */
    public void drain() {
        draining = true;
    }

    /** Whether this session plays in a match here (a drain lets it stay until the match ends). */
    public boolean isPlaying(ClientSession session) {
        return matchBySession.containsKey(session);
    }

    /** Whether one more match fits under the node's cap. */
    public boolean hasCapacity() {
        return !draining && matches.size() < maxMatches;
    }

    /** Whether the user holds a seat in a match here or (clustered) on any node. */
    public boolean isInMatch(String userId) {
        return matchOf(userId).isPresent();
    }

    /**
     * The match the user holds a seat in, here or (clustered) on any node. A match hosted here
     * answers from its seats: a user who gave its seat up is in no match, though the directory
     * still lists it among the match's players until the match ends.
     */
    public Optional<String> matchOf(String userId) {
        String here = matchByUser.get(userId);
        if (here != null) {
            return Optional.of(here);
        }
        return directory.matchOf(userId).filter(id -> !matches.containsKey(id));
    }

    /** This node's live matches as the directory knows them (to write them again after a Redis outage). */
    public List<MatchDirectory.Entry> liveEntries() {
        return List.copyOf(entries.values());
    }

    public Optional<GameMode> mode(String name) {
        return modes.find(name);
    }

    void joinMatch(Request r) {
        String token = r.frame().getJoinMatch().getSeatToken();
        if (token.isEmpty()) {
            throw ProtocolException.invalid("seat_token", "required");
        }
        SeatTokens.Seat seat;
        try {
            seat = seatTokens.verify(token);
        } catch (SeatTokens.InvalidTokenException e) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, e.getMessage());
        }
        if (!seat.userId().equals(r.session().userId())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "seat token belongs to another player");
        }
        Match match = matches.get(seat.matchId());
        if (match == null) {
            throw new ProtocolException(
                    ErrorCode.NOT_FOUND,
                    seat.nodeId().equals(nodeId)
                            ? "match " + seat.matchId() + " is over"
                            : "match " + seat.matchId() + " is not hosted on this node");
        }
        if (!match.offer(new Match.Claim(r.session(), r, seat))) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "match inbox is full; retry");
        }
    }

    void input(Request r) {
        var in = r.frame().getMatchInput();
        Match match = matchBySession.get(r.session());
        if (match == null || !match.id().equals(in.getMatchId())) {
            throw new ProtocolException(
                    ErrorCode.FORBIDDEN, "this connection holds no seat in match " + in.getMatchId());
        }
        int cap = match.mode().maxInputBytes();
        if (in.getPayload().size() > cap) {
            // refused here, on the decoding thread: the tick thread never parses it
            throw ProtocolException.invalid(
                    "payload",
                    "at most " + cap + " bytes for mode " + match.mode().name() + ", was "
                            + in.getPayload().size());
        }
        if (!match.offer(new Match.Input(r.session(), r, in.getTick(), in.getPayload()))) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "match inbox is full: input dropped");
        }
    }

    void leaveMatch(Request r) {
        String matchId = r.frame().getLeaveMatch().getMatchId();
        Match match = matchBySession.get(r.session());
        if (match == null || !match.id().equals(matchId)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "this connection holds no seat in match " + matchId);
        }
        if (!match.offer(new Match.Leave(r.session(), r))) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "match inbox is full; retry");
        }
    }

    /** On the session's lane, last: its seat binding goes, and its match hears of the drop on its next tick. */
    @Override
    public void closed(ClientSession session) {
        Match m = matchBySession.remove(session);
        if (m != null) {
            // closed on purpose (the client's 1000, a kick, a close for misbehaving: what the
            // session calls not resumable) and the user's last connection here: the seat goes as
            // on leave_match; a drop keeps it for the grace
            if (!session.resumable() && !userOnlineHere.test(session.userId())) {
                m.gaveUp(session);
            } else {
                m.dropped(session);
            }
        }
    }

    public int matchCount() {
        return matches.size();
    }

    /** Waits until no match runs here, at most {@code timeoutMs}; whether none does. */
    public boolean awaitNoMatches(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        synchronized (matches) {
            while (!matches.isEmpty()) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
                if (leftMs <= 0) {
                    return false;
                }
                matches.wait(leftMs);
            }
            return true;
        }
    }

    /** Users holding or reserved a seat; equals the seated players of live matches. */
    public int seatedUsers() {
        return matchByUser.size();
    }

    /** Sessions bound to a match seat right now. */
    public int boundSessions() {
        return matchBySession.size();
    }

    /** Per-match tick counters, while the match lives. */
    public Optional<TickStats> stats(String matchId) {
        return Optional.ofNullable(stats.get(matchId));
    }

    public List<String> matchIds() {
        return List.copyOf(matches.keySet());
    }

    private final class Host implements MatchHost {
        @Override
        public long nowMs() {
            return time.epochMillis();
        }

        @Override
        public long nowMicros() {
            return time.epochMicros();
        }

        @Override
        public boolean bind(ClientSession session, Match match) {
            if (!session.ifAlive(() -> matchBySession.put(session, match))) {
                return false;
            }
            // false only if the close was accepted since: that close removes the binding and drops the seat
            rooms.join(session, RoomId.match(match.id()));
            return true;
        }

        @Override
        public void unbind(ClientSession session, Match match) {
            matchBySession.remove(session, match);
            rooms.leave(session, RoomId.match(match.id()));
        }

        @Override
        public void released(String userId, Match match) {
            matchByUser.remove(userId, match.id());
        }

        @Override
        public void publishToUser(String userId, ServerFrame.Builder frame) {
            streams.publishLater(RoomId.user(userId), frame);
        }

        @Override
        public void emitSnapshot(Match match, ByteBuffer encoded) {
            rooms.to(RoomId.match(match.id())).emitLatest(match.id(), encoded);
        }

        @Override
        public void ended(Match match) {
            matches.remove(match.id());
            stats.remove(match.id());
            MatchDirectory.Entry entry = entries.remove(match.id());
            if (entry != null) {
                directory.remove(entry);
            }
            synchronized (matches) {
                matches.notifyAll(); // a drain may be waiting for the last match to end
            }
        }
    }
}
