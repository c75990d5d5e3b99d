package io.tickroom.server.lobby;

import io.tickroom.protocol.v1.ChatMessage;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.LobbyLeft;
import io.tickroom.protocol.v1.LobbyList;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import io.tickroom.server.cluster.Presence;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchPlacement;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.room.Memberships;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.room.Streams;
import io.tickroom.server.room.StripedLocks;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionListener;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The lobby life cycle. Membership belongs to the user, not the session: every session of a
 * member is in the lobby room, a new session of a member joins it on open, and the user leaves
 * the lobby when the last of its sessions on this node is gone.
 *
 * <p>Replies and pushes: create, join, update and get answer with the {@code lobby_state}; every
 * change is also pushed to all members (the requester included) on the lobby stream, so a client
 * can drive its view from the pushes alone: the whole state while the lobby is small, coalesced
 * member deltas once it is big ({@link LobbyPushes}). A request is answered after its push is
 * published, so an acknowledged change is already ordered on the stream (clustered, publishing
 * is what numbers it); a big lobby's member change is the exception: its delta follows the
 * answer within {@link LobbyPushes#COALESCE_MS}. Leaving and being kicked push {@code lobby_left} on the
 * user stream to all of that user's sessions.
 *
 * <p>A membership change made here (create, join, leave, kick, start, close, a dead node's
 * clean-up) moves the user's sessions in or out of the lobby room through {@link Memberships}:
 * at once here, and on the other nodes by a typed control message, never by reading the pushes.
 */
public final class LobbyService implements SessionListener {
    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    private final LobbyDirectory directory;
    private final Streams streams;
    private final Rooms rooms;
    private final SessionRegistry registry;
    private final LobbyConfig config;
    private final LimitsConfig limits;
    private final TimeSource time;
    private final GameModes modes;
    private final MatchService matches;
    private final Predicate<String> busyElsewhere;
    private final Presence presence;
    private final MatchPlacement placement;
    private final Memberships memberships;
    private final StripedLocks locks = new StripedLocks(256);
    /** Whole states or coalesced deltas, by lobby size. */
    private final LobbyPushes pushes;
    /** Encoded pages shared by identical listings while the directory is unchanged. */
    private final ListingCache listings = new ListingCache();
    /**
     * One user's check-then-act steps across services (a create or join here, a quick-match
     * enqueue there) run one at a time, whichever of the user's sessions asks: shared with
     * {@code QuickMatchService} by the node ({@link #serializePerUser}). Taken before any lobby
     * lock, never inside one.
     */
    private volatile StripedLocks userLocks = new StripedLocks(1024);
    /** Lobby creations per user and per client address, and wrong join codes per user. */
    private final Quota createsByUser;

    private final Quota createsByAddress;
    private final Quota joinCodeFailures;
    /**
     * The last snapshot this node saw of each lobby it has local members of: what it writes back
     * if Redis loses its data ({@link #reconcile}). Dropped when the lobby's room loses its last
     * local member; every write checks, in the same atomic step, that the room still has one (so a
     * late write cannot leave an entry behind the removal).
     */
    private final java.util.Map<String, Lobby> known = new java.util.concurrent.ConcurrentHashMap<>();
    /** Users whose last session dropped, with when their held seat goes (bounded by users seen within the grace). */
    private final java.util.Map<String, Long> heldUntil = new java.util.concurrent.ConcurrentHashMap<>();

    private final long seatGraceMs;

    /**
     * {@code seatGraceMs} (resume): a member whose last session dropped keeps the lobby seat this
     * long; a session of the user opening meanwhile (any node) keeps it for good. 0: seats go at once.
     */
    public LobbyService(
            LobbyDirectory directory,
            Streams streams,
            Rooms rooms,
            SessionRegistry registry,
            LobbyConfig config,
            LimitsConfig limits,
            TimeSource time,
            GameModes modes,
            MatchService matches,
            Predicate<String> busyElsewhere,
            Presence presence,
            MatchPlacement placement,
            Memberships memberships,
            long seatGraceMs,
            java.util.concurrent.ThreadFactory deltaTimer) {
        this.seatGraceMs = seatGraceMs;
        this.pushes = new LobbyPushes(streams::publish, locks::of, LobbyPushes.Timer.of(deltaTimer));
        this.directory = directory;
        this.streams = streams;
        this.rooms = rooms;
        this.registry = registry;
        this.config = config;
        this.limits = limits;
        this.time = time;
        this.modes = modes;
        this.matches = matches;
        this.busyElsewhere = busyElsewhere;
        this.presence = presence;
        this.placement = placement;
        this.memberships = memberships;
        this.createsByUser = new Quota(config.createsPerMinutePerUser());
        this.createsByAddress = new Quota(config.createsPerMinutePerIp());
        this.joinCodeFailures = new Quota(config.joinCodeFailuresPerMinute());
        rooms.watch(new Rooms.RoomWatcher() {
            @Override
            public void roomRemoved(RoomId room) {
                if (room.kind() == RoomId.Kind.LOBBY) {
                    known.remove(room.id()); // no local member left
                    LobbyCodec.forget(room.id()); // nor anyone here to answer (also when another node removed it)
                }
            }
        });
        streams.tap((stream, body) -> {
            if (stream.kind() == RoomId.Kind.LOBBY) {
                rememberDelivered(stream, body);
            }
        });
    }

    /**
     * A node died holding this user's sessions and no live node has one: the user leaves its
     * lobby as if its last session had closed (host hand-over, members told). Any thread.
     */
    public void evict(String userId) {
        directory.lobbyOf(userId).ifPresent(lobbyId -> {
            try {
                removeMember(lobbyId, userId, LeftReason.LEFT);
            } catch (LobbyException e) {
                // gone meanwhile
            }
        });
    }

    /**
     * An operator closes a lobby: every member leaves it ({@code lobby_left CLOSED} on their user
     * streams, on whichever node they are) and the lobby is removed. Returns the members removed.
     */
    public int close(String lobbyId) {
        synchronized (locks.of(lobbyId)) {
            Lobby lobby = directory
                    .get(lobbyId)
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no lobby " + lobbyId));
            int removed = 0;
            for (Member m : lobby.members()) {
                LobbyDirectory.Left left;
                try {
                    left = directory.leave(lobbyId, m.userId());
                    removed++;
                } catch (LobbyException e) {
                    continue; // left meanwhile
                }
                leaveRoom(m.userId(), lobbyId, left.lobby().version(), LeftReason.CLOSED);
            }
            streams.forget(RoomId.lobby(lobbyId));
            LobbyCodec.forget(lobbyId);
            return removed;
        }
    }

    /**
     * A lobby state delivered on its lobby's stream (bus thread; any node may have published it):
     * the snapshot this node would write back after a Redis loss must hold the members that
     * joined elsewhere too (see {@link #reconcile}).
     */
    private void rememberDelivered(RoomId stream, byte[] body) {
        if (!carriesLobby(body)) {
            return; // chat and the rest of a lobby's stream: not parsed at all
        }
        ServerFrame f;
        try {
            f = ServerFrame.parseFrom(body);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return;
        }
        if (f.hasLobbyState() && f.getLobbyState().getLobbyId().equals(stream.id())) {
            remember(LobbyCodec.lobby(f.getLobbyState()));
        } else if (f.hasLobbyDelta() && f.getLobbyDelta().getLobbyId().equals(stream.id())) {
            Lobby last = known.get(stream.id());
            if (last != null) {
                // one that does not follow on is left out: the member's own node writes it back
                LobbyCodec.apply(last, f.getLobbyDelta()).ifPresent(this::remember);
            }
        }
    }

    /** Whether an encoded frame holds a lobby state or delta: its field tags read, nothing parsed. */
    static boolean carriesLobby(byte[] body) {
        var in = com.google.protobuf.CodedInputStream.newInstance(body);
        try {
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = com.google.protobuf.WireFormat.getTagFieldNumber(tag);
                if (field == ServerFrame.LOBBY_STATE_FIELD_NUMBER || field == ServerFrame.LOBBY_DELTA_FIELD_NUMBER) {
                    return true;
                }
                if (!in.skipField(tag)) {
                    return false;
                }
            }
        } catch (java.io.IOException e) {
            return false; // not a frame: nothing to remember
        }
        return false;
    }

    /**
     * Remembers a snapshot of a lobby this node has local members of, unless an older one than
     * what it remembers (a restored lobby keeps its version). The check and the write are one
     * atomic step of the map, and the room's removal ({@code known.remove}) comes after its last
     * member left: a write either sees a member and lands before that removal, or sees none and
     * writes nothing.
     */
    private void remember(Lobby lobby) {
        RoomId room = RoomId.lobby(lobby.id());
        known.compute(
                lobby.id(),
                (id, last) -> rooms.members(room).isEmpty()
                        ? last
                        : last == null || lobby.version() >= last.version() ? lobby : last);
    }

    /**
     * Redis came back after losing its data: writes back every lobby this node has local members
     * of, with those members, and pushes the restored state. Idempotent (the caller retries it on
     * {@code ClusterUnavailableException}); runs on a background thread.
     *
     * <p>The node that writes a lobby back first writes back every member it remembers, those on
     * other nodes included: until their own nodes write them back they would otherwise be missing
     * from a lobby that is already listed (chat NOT_FOUND, host moved, seat taken). Members restored
     * from memory are held here like a dropped member's seat, for the resume grace and at least
     * {@code confirmWithinMs} (the node TTL: a live node declares its users again within it); one
     * that no node holds by then is released (it left, or its node died while Redis was away).
     */
    public int reconcile(long confirmWithinMs) {
        int restored = 0;
        for (RoomId room : List.copyOf(rooms.roomNames())) {
            if (room.kind() != RoomId.Kind.LOBBY) {
                continue;
            }
            String lobbyId = room.id();
            Lobby last = known.get(lobbyId);
            if (last == null) {
                continue;
            }
            java.util.Map<String, Member> here = new java.util.HashMap<>();
            for (ClientSession s : rooms.members(room)) {
                here.putIfAbsent(s.userId(), member(s));
            }
            java.util.Map<String, Member> local = new java.util.LinkedHashMap<>(); // in join order
            for (Member m : last.members()) {
                Member h = here.remove(m.userId());
                if (h != null) {
                    local.put(m.userId(), h);
                }
            }
            local.putAll(here);
            synchronized (locks.of(lobbyId)) {
                // a member who left here since (the leave holds this lock) is not written back,
                // and a lobby nobody here is in any more is not recreated from memory
                java.util.Set<String> stillHere = new java.util.HashSet<>();
                rooms.members(room).forEach(s -> stillHere.add(s.userId()));
                local.keySet().retainAll(stillHere);
                if (local.isEmpty()) {
                    continue;
                }
                try {
                    Lobby back = directory.restore(last, List.copyOf(local.values()));
                    long until = time.epochMillis() + Math.max(seatGraceMs, confirmWithinMs);
                    for (Member m : back.members()) {
                        if (!local.containsKey(m.userId())) {
                            heldUntil.merge(m.userId(), until, Math::max);
                        }
                    }
                    pushState(back);
                    restored++;
                } catch (LobbyException e) {
                    if (e.reason() == LobbyException.Reason.UNAVAILABLE) {
                        throw new io.tickroom.server.cluster.ClusterUnavailableException(e.getMessage(), e);
                    }
                    org.slf4j.LoggerFactory.getLogger(LobbyService.class)
                            .warn("lobby {} not restored: {}", lobbyId, e.getMessage());
                }
            }
        }
        return restored;
    }

    /** Lobbies this node remembers for {@link #reconcile} (a leak check). */
    public int knownLobbies() {
        return known.size();
    }

    /**
     * Shares the per-user locks with the other service whose steps must not interleave with a
     * create or join of the same user (quick match). Called once, at wiring.
     */
    public void serializePerUser(StripedLocks locks) {
        this.userLocks = locks;
    }

    /** Registers this service's handlers for the player namespace. */
    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.LIST_LOBBIES, this::list)
                .on(ClientFrame.BodyCase.CREATE_LOBBY, this::create)
                .on(ClientFrame.BodyCase.JOIN_LOBBY, this::join)
                .on(ClientFrame.BodyCase.LEAVE_LOBBY, this::leave)
                .on(ClientFrame.BodyCase.SEND_CHAT, this::chat)
                .on(ClientFrame.BodyCase.SET_READY, this::ready)
                .on(ClientFrame.BodyCase.KICK_MEMBER, this::kick)
                .on(ClientFrame.BodyCase.UPDATE_LOBBY, this::update)
                .on(ClientFrame.BodyCase.GET_LOBBY, this::get)
                .on(ClientFrame.BodyCase.START_MATCH, this::start);
    }

    void list(Request r) {
        ListLobbies q = r.frame().getListLobbies();
        String mode = mode(q.getMode()).name();
        // uint32 on the wire: read unsigned, so 2^31 and above are too big, not negative
        long asked = Integer.toUnsignedLong(q.getPageSize());
        if (asked > MAX_PAGE) {
            throw ProtocolException.invalid("page_size", "at most " + MAX_PAGE + ", was " + asked);
        }
        int size = asked == 0 ? DEFAULT_PAGE : (int) asked;
        int offset = 0;
        if (!q.getPageToken().isEmpty()) {
            try {
                offset = Integer.parseInt(q.getPageToken());
            } catch (NumberFormatException e) {
                offset = -1;
            }
            if (offset < 0) {
                throw ProtocolException.invalid("page_token", "not a token this server issued");
            }
        }
        LobbyDirectory.Order order =
                q.getOrder() == LobbyOrder.LOBBY_ORDER_FILL ? LobbyDirectory.Order.FILL : LobbyDirectory.Order.NEWEST;
        java.util.Map<String, String> filter =
                Fields.attributes("filter", q.getFilterMap(), LobbyDirectory.MAX_FILTER_KEYS);
        int from = offset;
        int limit = size;
        java.util.function.Supplier<LobbyList> build = () -> {
            LobbyPage page = directory.list(mode, order, filter, from, limit);
            LobbyList.Builder out = LobbyList.newBuilder();
            page.lobbies().forEach(l -> out.addLobbies(LobbyCodec.summary(l)));
            if (page.nextOffset() >= 0) {
                out.setNextPageToken(Integer.toString(page.nextOffset()));
            }
            return out.build();
        };
        // unfiltered pages are shared (one encoding per directory version and query); a filtered
        // one is built for its request (the filter is part of no cache key)
        com.google.protobuf.ByteString encoded = filter.isEmpty()
                ? listings.page(directory, mode, order, offset, size, build)
                : build.get().toByteString();
        r.replyEncoded(io.tickroom.server.session.Frames.answer(r.id(), ServerFrame.LOBBY_LIST_FIELD_NUMBER, encoded));
    }

    /** {@code list_lobbies} pages built and encoded; every other listing shared one of them. */
    public long listingsBuilt() {
        return listings.built();
    }

    void create(Request r) {
        CreateLobby c = r.frame().getCreateLobby();
        String name = Fields.text("name", c.getName(), config.maxNameChars());
        GameMode gameMode = mode(c.getMode());
        String mode = gameMode.name();
        int lo = Math.max(config.minPlayers(), gameMode.minPlayers());
        int hi = Math.min(config.maxPlayers(), gameMode.maxPlayers());
        // 0 (not set) takes the largest lobby the mode and this server allow
        int max = c.getMaxPlayers() == 0 ? hi : c.getMaxPlayers();
        if (max < lo || max > hi) {
            throw ProtocolException.invalid(
                    "max_players", "must be " + lo + ".." + hi + " for mode " + mode + ", was " + max);
        }
        java.util.Map<String, String> attributes =
                Fields.attributes("attributes", c.getAttributesMap(), LobbyDirectory.MAX_ATTRIBUTES);
        ClientSession s = r.session();
        notBusy(s.userId());
        long nowNs = time.nanoTime();
        if (!createsByUser.tryTake(s.userId(), nowNs)) {
            throw new ProtocolException(
                    ErrorCode.RATE_LIMITED,
                    "over " + config.createsPerMinutePerUser() + " lobbies created a minute by this user; wait");
        }
        if (!createsByAddress.tryTake(s.remoteAddress(), nowNs)) {
            throw new ProtocolException(
                    ErrorCode.RATE_LIMITED,
                    "over " + config.createsPerMinutePerIp() + " lobbies created a minute from this address; wait");
        }
        Lobby lobby;
        synchronized (userLocks.of(s.userId())) {
            notBusy(s.userId()); // again, atomically with the create: a quick match of another tab may have won
            try {
                lobby = createMakingRoom(new NewLobby(name, mode, max, c.getPrivate(), attributes), member(s));
            } catch (LobbyException e) {
                throw LobbyCodec.error(e);
            }
        }
        synchronized (locks.of(lobby.id())) {
            joinRoom(s.userId(), lobby);
            pushState(lobby);
            r.reply(ServerFrame.newBuilder().setLobbyState(LobbyCodec.state(lobby)));
        }
    }

    void join(Request r) {
        JoinLobby j = r.frame().getJoinLobby();
        String code = j.getJoinCode().strip().toUpperCase();
        String user = r.session().userId();
        long nowNs = time.nanoTime();
        if (!code.isEmpty() && !joinCodeFailures.hasBudget(user, nowNs)) {
            // a spent failure budget refuses every code, right or wrong: guessing learns nothing
            throw new ProtocolException(
                    ErrorCode.RATE_LIMITED,
                    "over " + config.joinCodeFailuresPerMinute() + " wrong join codes a minute; wait");
        }
        String lobbyId;
        if (!j.getLobbyId().isEmpty()) {
            lobbyId = Fields.id("lobby_id", j.getLobbyId());
        } else if (!code.isEmpty()) {
            Fields.id("join_code", code);
            Optional<String> found = directory.findByJoinCode(code);
            if (found.isEmpty()) {
                joinCodeFailures.tryTake(user, nowNs);
                throw new ProtocolException(ErrorCode.NOT_FOUND, "no lobby with that join_code");
            }
            lobbyId = found.get();
        } else {
            throw ProtocolException.invalid("lobby_id", "lobby_id or join_code is required");
        }
        ClientSession s = r.session();
        synchronized (userLocks.of(s.userId())) {
            joinChecked(r, s, lobbyId, code, user, nowNs);
        }
    }

    /** The join proper, under the user's lock: not busy elsewhere, then into the lobby. */
    private void joinChecked(Request r, ClientSession s, String lobbyId, String code, String user, long nowNs) {
        notBusy(s.userId());
        synchronized (locks.of(lobbyId)) {
            Lobby lobby;
            try {
                lobby = directory.join(lobbyId, code, member(s));
            } catch (LobbyException e) {
                if (e.reason() == LobbyException.Reason.FORBIDDEN && !code.isEmpty()) {
                    joinCodeFailures.tryTake(user, nowNs); // a private lobby's code guessed wrong
                }
                throw LobbyCodec.error(e);
            }
            joinRoom(s.userId(), lobby);
            pushChange(lobby, s.userId(), true);
            r.replyEncoded(LobbyCodec.stateAnswer(lobby, r.id()));
        }
    }

    void leave(Request r) {
        String lobbyId = Fields.id("lobby_id", r.frame().getLeaveLobby().getLobbyId());
        try {
            removeMember(lobbyId, r.session().userId(), LeftReason.LEFT);
        } catch (LobbyException e) {
            throw LobbyCodec.error(e);
        }
        r.ok();
    }

    void chat(Request r) {
        var c = r.frame().getSendChat();
        String lobbyId = Fields.id("lobby_id", c.getLobbyId());
        String text = Fields.text("text", c.getText(), limits.maxChatChars());
        ClientSession s = r.session();
        if (!s.tryChat(time.nanoTime())) {
            throw new ProtocolException(ErrorCode.RATE_LIMITED, "over " + limits.chatPerSecond() + " chat lines/s");
        }
        synchronized (locks.of(lobbyId)) {
            memberOf(lobbyId, s.userId());
            RoomId stream = RoomId.lobby(lobbyId);
            ChatMessage msg = ChatMessage.newBuilder()
                    .setLobbyId(lobbyId)
                    .setFromUserId(s.userId())
                    .setFromName(s.principal().name())
                    .setText(text)
                    .setSentAtMs(time.epochMillis())
                    .build();
            streams.publish(stream, ServerFrame.newBuilder().setChat(msg));
            r.ok();
        }
    }

    /** The whole state of a lobby the user is a member of (what a client asks for after a delta gap). */
    void get(Request r) {
        String lobbyId = Fields.id("lobby_id", r.frame().getGetLobby().getLobbyId());
        synchronized (locks.of(lobbyId)) { // as every answer: a removal in between cannot leave its answer kept
            r.replyEncoded(LobbyCodec.stateAnswer(memberOf(lobbyId, r.session().userId()), r.id()));
        }
    }

    /**
     * The lobby {@code userId} is a member of; NOT_FOUND when there is no such lobby or the user is
     * not in it (the two are not told apart: ids of lobbies one is not in are nobody's business).
     */
    private Lobby memberOf(String lobbyId, String userId) {
        Optional<Lobby> lobby = directory.get(lobbyId);
        if (lobby.isEmpty() || !lobby.get().hasMember(userId)) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "not a member of lobby " + lobbyId);
        }
        return lobby.get();
    }

    /** Stops the delta timer (the node's stop, after the sessions are gone). */
    public void close() {
        pushes.close();
    }

    /** Delta runs not yet pushed (the leak check: 0 once lobbies are quiet). */
    public int pendingDeltaRuns() {
        return pushes.pendingRuns();
    }

    void ready(Request r) {
        var c = r.frame().getSetReady();
        String lobbyId = Fields.id("lobby_id", c.getLobbyId());
        synchronized (locks.of(lobbyId)) {
            Lobby lobby;
            try {
                lobby = directory.setReady(lobbyId, r.session().userId(), c.getReady());
            } catch (LobbyException e) {
                throw LobbyCodec.error(e);
            }
            pushChange(lobby, r.session().userId(), false);
            r.ok();
        }
    }

    void kick(Request r) {
        var k = r.frame().getKickMember();
        String lobbyId = Fields.id("lobby_id", k.getLobbyId());
        String target = Fields.id("user_id", k.getUserId());
        synchronized (locks.of(lobbyId)) {
            Lobby lobby;
            try {
                lobby = directory.kick(lobbyId, r.session().userId(), target);
            } catch (LobbyException e) {
                throw LobbyCodec.error(e);
            }
            leaveRoom(target, lobbyId, lobby.version(), LeftReason.KICKED);
            pushChange(lobby, target, false);
            r.ok();
        }
    }

    /**
     * The host changes the lobby's attributes; answered with the new state, which every member
     * also gets pushed. Bounds as at create; past {@link LobbyDirectory#MAX_ATTRIBUTES} after the
     * change INVALID_ARGUMENT and nothing changes.
     */
    void update(Request r) {
        var u = r.frame().getUpdateLobby();
        String lobbyId = Fields.id("lobby_id", u.getLobbyId());
        java.util.Map<String, String> set =
                Fields.attributes("set_attributes", u.getSetAttributesMap(), LobbyDirectory.MAX_ATTRIBUTES);
        java.util.Set<String> remove = Fields.attributeKeys("remove_attributes", u.getRemoveAttributesList());
        synchronized (locks.of(lobbyId)) {
            Lobby lobby;
            try {
                lobby = directory.updateAttributes(lobbyId, r.session().userId(), set, remove);
            } catch (LobbyException e) {
                throw LobbyCodec.error(e);
            }
            pushState(lobby);
            r.reply(ServerFrame.newBuilder().setLobbyState(LobbyCodec.state(lobby)));
        }
    }

    /** Releases the seats whose grace ended without the user coming back; the node calls it periodically. */
    public int releaseExpired() {
        long now = time.epochMillis();
        int released = 0;
        for (var e : heldUntil.entrySet()) {
            if (e.getValue() <= now && heldUntil.remove(e.getKey(), e.getValue()) && !registry.isOnline(e.getKey())) {
                release(e.getKey());
                released++;
            }
        }
        return released;
    }

    /**
     * Clustered: a node that stopped cleanly held this user's seat for a resume; this node holds
     * it for the grace now (the user was told to reconnect elsewhere).
     */
    public void holdFor(String userId) {
        if (directory.lobbyOf(userId).isEmpty()) {
            return;
        }
        heldUntil.put(userId, time.epochMillis() + seatGraceMs);
        presence.present(userId); // so that if this node dies too, its clean-up finds the user
    }

    /**
     * The node is stopping: forget the held seats. Single node ({@code release} true) nobody can
     * resume here any more, so they are released; clustered a survivor takes them over.
     */
    public void dropHeldSeats(boolean release) {
        for (String user : List.copyOf(heldUntil.keySet())) {
            heldUntil.remove(user);
            if (release) {
                release(user);
            }
        }
    }

    /**
     * Creates the lobby; when the directory is at its cap, first releases the lobbies whose every
     * member dropped more than {@code abandonedHoldMs} ago ({@link #releaseAbandoned}) and tries
     * once more.
     */
    private Lobby createMakingRoom(NewLobby spec, Member host) throws LobbyException {
        try {
            return directory.create(spec, host);
        } catch (LobbyException e) {
            if (e.reason() != LobbyException.Reason.LIMIT_REACHED || releaseAbandoned() == 0) {
                throw e;
            }
            return directory.create(spec, host);
        }
    }

    /**
     * The lobbies whose every member's seat is held here for a resume (nobody online), held for
     * longer than {@code abandonedHoldMs}: their seats are released, so the lobbies go and stop
     * counting against {@code maxLobbies}. Called by a create that found the directory full;
     * returns how many lobbies were released.
     */
    int releaseAbandoned() {
        long heldSince = time.epochMillis() - config.abandonedHoldMs();
        java.util.Map<String, List<String>> heldByLobby = new java.util.HashMap<>();
        for (var e : heldUntil.entrySet()) {
            if (e.getValue() - seatGraceMs <= heldSince && !registry.isOnline(e.getKey())) {
                directory
                        .lobbyOf(e.getKey())
                        .ifPresent(id -> heldByLobby
                                .computeIfAbsent(id, k -> new java.util.ArrayList<>())
                                .add(e.getKey()));
            }
        }
        int released = 0;
        for (var e : heldByLobby.entrySet()) {
            Optional<Lobby> lobby = directory.get(e.getKey());
            if (lobby.isEmpty() || lobby.get().members().size() != e.getValue().size()) {
                continue; // a member is still there, or dropped too recently
            }
            for (String user : e.getValue()) {
                if (heldUntil.remove(user) != null) {
                    release(user);
                }
            }
            released++;
        }
        return released;
    }

    /** Users whose lobby seat is held for a resume (a leak check: 0 once their grace is over). */
    public int heldSeats() {
        return heldUntil.size();
    }

    /**
     * A new session of a lobby member joins the lobby room and gets the current state. On the
     * session's lane, before any of its requests.
     */
    @Override
    public void opened(ClientSession session) {
        heldUntil.remove(session.userId());
        Optional<String> lobbyId = directory.lobbyOf(session.userId());
        if (lobbyId.isEmpty()) {
            return;
        }
        synchronized (locks.of(lobbyId.get())) {
            Optional<Lobby> lobby = directory.get(lobbyId.get());
            if (lobby.isEmpty() || !lobby.get().hasMember(session.userId())) {
                return;
            }
            RoomId stream = RoomId.lobby(lobbyId.get());
            // through the gate: a leave announced meanwhile (a newer version) keeps it out
            memberships.apply(session.userId(), stream, lobby.get().version(), true);
            if (!rooms.isIn(session, stream)) {
                return;
            }
            remember(lobby.get());
            presence.present(session.userId());
            long seq = streams.current(stream);
            // tagged with its seq: a resume that replays up to that seq drops this snapshot
            session.outbound()
                    .offerReliable(
                            io.tickroom.server.session.Frames.encode(ServerFrame.newBuilder()
                                    .setStream(stream.name())
                                    .setSeq(seq)
                                    .setLobbyState(LobbyCodec.state(lobby.get()))
                                    .build()),
                            stream.name(),
                            seq);
        }
    }

    /**
     * The user's last session on this node is gone: the user leaves its lobby (host hand-over).
     * On the session's lane, after all of its requests: a join or create of this session ran
     * before, so the membership it made is seen here and nothing needs undoing.
     */
    @Override
    public void closed(ClientSession session) {
        if (registry.isOnline(session.userId())) {
            return;
        }
        if (seatGraceMs > 0
                && session.resumable()
                && session.namespace() == io.tickroom.server.session.Namespace.PLAY
                && directory.lobbyOf(session.userId()).isPresent()) {
            // dropped, not closed on purpose: the seat (and this node's presence) stays for a resume
            heldUntil.put(session.userId(), time.epochMillis() + seatGraceMs);
            return;
        }
        release(session.userId());
    }

    private void release(String userId) {
        presence.absent(userId);
        if (presence.onlineAnywhere(userId)) {
            return; // another node holds the user's lobby seat
        }
        evict(userId);
        streams.forget(RoomId.user(userId));
    }

    private void removeMember(String lobbyId, String userId, LeftReason reason) throws LobbyException {
        synchronized (locks.of(lobbyId)) {
            LobbyDirectory.Left left = directory.leave(lobbyId, userId);
            leaveRoom(userId, lobbyId, left.lobby().version(), reason);
            if (left.removed()) {
                pushes.forget(lobbyId);
                streams.forget(RoomId.lobby(lobbyId));
                LobbyCodec.forget(lobbyId);
            } else {
                pushChange(left.lobby(), userId, false);
            }
        }
    }

    /** The whole state to every member (create, update, restore); under the lobby's lock. */
    private void pushState(Lobby lobby) {
        remember(lobby);
        pushes.state(lobby);
    }

    /** One member's change (join, leave, kick, ready): a whole state or a delta by the lobby's size; under its lock. */
    private void pushChange(Lobby lobby, String userId, boolean joined) {
        remember(lobby);
        pushes.memberChanged(lobby, userId, joined);
    }

    /**
     * The user became a member (create, join): every session of the user, here and on the other
     * nodes, joins the lobby room; the sessions elsewhere also get the state on the user stream.
     */
    private void joinRoom(String userId, Lobby lobby) {
        memberships.changed(userId, RoomId.lobby(lobby.id()), lobby.version(), true, null);
        presence.present(userId);
        if (presence.spansNodes()) {
            // data for the user's other sessions (they joined the room by the control message)
            streams.publish(RoomId.user(userId), ServerFrame.newBuilder().setLobbyState(LobbyCodec.state(lobby)));
        }
    }

    /** The user is no longer a member (at the lobby's {@code version} after the change): every session leaves the room. */
    private void leaveRoom(String userId, String lobbyId, long version, LeftReason reason) {
        memberships.changed(userId, RoomId.lobby(lobbyId), version, false, reason);
        // the user may be on another node: publish anyway (nobody listening costs one call)
        streams.publish(
                RoomId.user(userId),
                ServerFrame.newBuilder()
                        .setLobbyLeft(LobbyLeft.newBuilder().setLobbyId(lobbyId).setReason(reason)));
    }

    private GameMode mode(String mode) {
        if (mode.isEmpty()) {
            throw ProtocolException.invalid("mode", "required");
        }
        return modes.find(mode)
                .orElseThrow(() -> ProtocolException.invalid("mode", "unknown game mode '" + truncate(mode) + "'"));
    }

    /** ALREADY_IN naming the match the user is in (so a client can rejoin it), or the queue. */
    private void notBusy(String userId) {
        Optional<String> match = matches.matchOf(userId);
        if (match.isPresent()) {
            throw new ProtocolException(ErrorCode.ALREADY_IN, "already in match " + match.get());
        }
        if (busyElsewhere.test(userId)) {
            throw new ProtocolException(ErrorCode.ALREADY_IN, "already in a quick-match queue");
        }
    }

    /**
     * The host starts the match: the lobby becomes the match. Members get {@code lobby_left
     * MATCH_STARTED} and a {@code match_found} with their seat token, on their user streams.
     */
    void start(Request r) {
        String lobbyId = Fields.id("lobby_id", r.frame().getStartMatch().getLobbyId());
        ClientSession s = r.session();
        synchronized (locks.of(lobbyId)) {
            Lobby current = directory
                    .get(lobbyId)
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no lobby " + lobbyId));
            GameMode mode = modes.find(current.mode())
                    .orElseThrow(
                            () -> new ProtocolException(ErrorCode.UNAVAILABLE, "mode " + current.mode() + " is gone"));
            if (!matches.hasCapacity()) {
                // checked before the lobby is consumed, so a full node refuses and the lobby stays
                throw new ProtocolException(
                        ErrorCode.UNAVAILABLE, "this server runs its maximum of matches; retry later");
            }
            Lobby lobby;
            try {
                lobby = directory.start(lobbyId, s.userId(), mode.minPlayers());
            } catch (LobbyException e) {
                throw LobbyCodec.error(e);
            }
            streams.forget(RoomId.lobby(lobbyId));
            LobbyCodec.forget(lobbyId);
            List<String> members = lobby.members().stream().map(Member::userId).toList();
            memberships.changed(members, RoomId.lobby(lobbyId), lobby.version(), false, LeftReason.MATCH_STARTED);
            for (String m : members) {
                streams.publish(
                        RoomId.user(m),
                        ServerFrame.newBuilder()
                                .setLobbyLeft(LobbyLeft.newBuilder()
                                        .setLobbyId(lobbyId)
                                        .setReason(LeftReason.MATCH_STARTED)));
            }
            List<MatchService.Seating> seating = lobby.members().stream()
                    .map(m -> new MatchService.Seating(m.userId(), m.name()))
                    .toList();
            java.util.Map<String, String> nodeOf = new java.util.HashMap<>();
            for (var m : lobby.members()) {
                java.util.TreeSet<String> nodes = new java.util.TreeSet<>(presence.nodesOf(m.userId()));
                if (!nodes.isEmpty()) {
                    nodeOf.put(m.userId(), nodes.first());
                }
            }
            // answered once the match runs (remote placement is asynchronous: no lane thread waits)
            // the lobby's attributes become the match's settings (MatchContext.settings())
            placement
                    .place(mode, seating, lobby.attributes(), placement.choose(seating, nodeOf))
                    .whenComplete((node, e) -> {
                        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                        if (cause instanceof ProtocolException pe) {
                            r.fail(pe.code(), pe.getMessage());
                        } else if (cause != null) {
                            r.fail(ErrorCode.INTERNAL, "match placement failed");
                        } else {
                            r.ok();
                        }
                    });
        }
    }

    private static String truncate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "…";
    }

    private static Member member(ClientSession s) {
        return new Member(s.userId(), s.principal().name(), false);
    }
}
