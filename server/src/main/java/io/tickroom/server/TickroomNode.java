package io.tickroom.server;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Pong;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.admin.AdminService;
import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.cluster.memory.MemoryCluster;
import io.tickroom.server.cluster.redis.RedisCluster;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.lobby.DirectMessages;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchPlacement;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.match.SeatTokens;
import io.tickroom.server.matchmaking.QuickMatchService;
import io.tickroom.server.matchmaking.RatingWindow;
import io.tickroom.server.net.Gateway;
import io.tickroom.server.net.WebSite;
import io.tickroom.server.net.WebSocketServer;
import io.tickroom.server.resume.ResumeService;
import io.tickroom.server.room.Memberships;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionLanes;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.session.TokenRefresh;
import io.tickroom.server.thread.FatalErrorHandler;
import io.tickroom.server.thread.NodeThreads;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Tickroom node, wired: the constructor builds every part in dependency order and starts no
 * thread; {@link NodeLifecycle} starts, drains and stops it, {@link ClusterRecovery} keeps the
 * cluster whole, {@link HealthReport} is {@code /health}. Tests start nodes on port 0 and read
 * {@link #counts()} to prove that nothing leaks. Studios embed it through {@link TickroomServer}.
 */
public final class TickroomNode implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TickroomNode.class);
    private final GameModes modes;

    /** Single node: dropped sessions kept for resume at once (oldest dropped past it). */
    static final int MAX_RESUME_RECORDS = 100_000;
    /** Clustered: lane threads, which may wait on Redis: a frozen Redis holds up to this many, never Jetty's. */
    static final int CLUSTERED_LANE_THREADS = 32;
    /** Single node: nothing on a lane waits on Redis; one per core (at least two, so one long request never stalls every lane). */
    static final int SINGLE_NODE_LANE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Requests one session may have waiting on its lane; past it RATE_LIMITED (its open and close are never refused). */
    static final int REQUESTS_WAITING_PER_SESSION = 64;
    /** How often the matchmaker sweeps the queues (windows widen with time). */
    static final long MATCHMAKER_SWEEP_MS = 200;

    private final ServerConfig config;
    private final TimeSource time;
    private final Rooms rooms = new Rooms();
    private final Cluster cluster;
    private final SessionRegistry registry;
    private final Streams streams;
    private final NodeCalls calls;
    private final TickScheduler scheduler;
    private final MatchService matches;
    private final QuickMatchService quickMatch;
    private final LobbyService lobbies;
    private final Dispatcher playDispatcher;
    private final Gateway gateway;
    private final NodeMetrics metrics;
    private final NodeState state;
    private final ClusterRecovery recovery;
    private final WebSocketServer server;
    private final NodeLifecycle life;

    /** A node with the game modes its class path provides ({@link #shippedModes()}: arena, and any plugin). */
    public TickroomNode(ServerConfig config) {
        this(config, TimeSource.SYSTEM, shippedModes());
    }

    /** A node whose fatal errors halt the process ({@link FatalErrorHandler#HALT}), verifying JWTs with the config's secret. */
    public TickroomNode(ServerConfig config, TimeSource time, GameModes modes) {
        this(config, time, modes, null, FatalErrorHandler.HALT);
    }

    /**
     * @param authenticator how handshake tokens become principals; null: HS256 JWTs with the
     *                      config's secret and token policy, on {@code time}
     * @param onFatal       what an {@link Error} escaping one of the node's threads does
     */
    public TickroomNode(
            ServerConfig config,
            TimeSource time,
            GameModes modes,
            Authenticator authenticator,
            FatalErrorHandler onFatal) {
        this.config = config;
        this.time = time;
        String node = config.nodeId();
        this.modes = modes;
        NodeThreads threads = new NodeThreads(node, onFatal);
        Authenticator tokens = authenticator != null
                ? authenticator
                : new TokenVerifier(config.jwtSecret(), config.tokens(), time::epochMillis);
        SessionLanes lanes = new SessionLanes(
                threads.factory("lane"),
                config.cluster().clustered() ? CLUSTERED_LANE_THREADS : SINGLE_NODE_LANE_THREADS,
                REQUESTS_WAITING_PER_SESSION);
        this.registry = new SessionRegistry(lanes);
        this.cluster = openCluster(config, time, threads);
        LobbyDirectory directory = cluster.directory();
        this.streams = new Streams(
                rooms, cluster.sequences(), cluster.bus(), cluster.replayLog(), threads.single("push-outbox"));
        this.calls = new NodeCalls(node, cluster.bus(), this::liveNodeIds, threads);
        this.scheduler =
                new TickScheduler(config.match().tickThreads(), config.match().maxCatchUpTicks(), time, threads::fatal);
        // the seat tokens name this node's play URL, which is known once the listener (built last) is bound
        this.matches = new MatchService(
                modes,
                scheduler,
                rooms,
                streams,
                new SeatTokens(config.jwtSecret()),
                time,
                node,
                () -> playUrl(),
                config.match().maxMatches(),
                cluster.matchDirectory(),
                registry::isOnline);
        MatchPlacement placement = new MatchPlacement(node, matches, modes, calls, time);
        Memberships memberships = new Memberships(node, rooms, registry);
        memberships.announceVia(calls); // node calls are built first: membership changes travel on them
        this.quickMatch = new QuickMatchService(
                modes,
                matches,
                cluster.matchQueue(),
                streams,
                time,
                RatingWindow.defaults(),
                config.match().maxQueuedPerMode(),
                directory::lobbyOf,
                node,
                MATCHMAKER_SWEEP_MS,
                cluster.presence(),
                placement,
                threads.single("matchmaker"));
        this.lobbies = new LobbyService(
                directory,
                streams,
                rooms,
                registry,
                config.lobby(),
                config.limits(),
                time,
                modes,
                matches,
                user -> matches.isInMatch(user) || quickMatch.isQueued(user),
                cluster.presence(),
                placement,
                memberships,
                config.session().resumeGraceMs(),
                threads.single("lobby-deltas"));
        // one user's lobby creates and joins and quick-match enqueues never interleave, whichever tabs ask
        io.tickroom.server.room.StripedLocks perUser = new io.tickroom.server.room.StripedLocks(1024);
        lobbies.serializePerUser(perUser);
        quickMatch.serializePerUser(perUser);
        ResumeService resume = new ResumeService(
                node,
                config.jwtSecret(),
                config.session(),
                cluster.resumeStore(),
                registry,
                rooms,
                streams,
                directory,
                cluster.matchDirectory(),
                time,
                calls,
                matches::resumed);
        for (var listener : List.of(rooms, memberships, resume, lobbies, matches, quickMatch)) {
            registry.addListener(listener);
        }
        this.state = new NodeState(cluster.bus()::isUp);
        this.recovery = new ClusterRecovery(config, cluster, streams, matches, lobbies, quickMatch, state::stopped);
        // the bus is built before what it notifies: a listener registration, not a dependency
        cluster.bus().onReconnect(recovery::rejoined);

        TokenRefresh refresh = new TokenRefresh(tokens);
        // every request runs on its session's lane, in order between the session's open and close,
        // except those that only hand over to memory: pings, and match inputs, claims and leaves,
        // which go to the match's inbox (the match binds the seat, guarded by the session's lane)
        Dispatcher.Builder play = dispatcher(
                lanes,
                Set.of(
                        ClientFrame.BodyCase.PING,
                        ClientFrame.BodyCase.MATCH_INPUT,
                        ClientFrame.BodyCase.JOIN_MATCH,
                        ClientFrame.BodyCase.LEAVE_MATCH));
        resume.register(play);
        refresh.register(play);
        lobbies.register(play);
        new DirectMessages(streams, config.limits(), time).register(play);
        matches.register(play);
        quickMatch.register(play);
        this.playDispatcher = play.build();
        Dispatcher.Builder admin = dispatcher(lanes, Set.of(ClientFrame.BodyCase.PING))
                .requireRole(io.tickroom.server.auth.Principal.ADMIN_ROLE);
        // a drain stops the listener, which needs this dispatcher first: the life cycle is reached late
        new AdminService(node, registry, rooms, lobbies, calls, time, this::drainRequested).register(admin);
        refresh.register(admin);
        this.gateway = new Gateway(
                node,
                config.net(),
                config.limits(),
                config.session(),
                time,
                registry,
                Map.of(Namespace.PLAY, playDispatcher, Namespace.ADMIN, admin.build()),
                resume::token,
                modes.names());
        gateway.refuseWhileStoreUnreachable(() -> cluster.bus().isUp());

        this.metrics = new NodeMetrics(node);
        metrics.bindSessions(registry, gateway, playDispatcher, resume);
        metrics.bindLanes(lanes, streams);
        metrics.bindGame(directory, lobbies, matches, quickMatch, scheduler);
        metrics.bindCluster(cluster.stats());
        ConsoleStats console = config.net().web()
                ? new ConsoleStats(
                        node,
                        time,
                        scheduler,
                        registry::count,
                        matches::matchCount,
                        directory::count,
                        registry::framesOut,
                        gateway::framesIn,
                        cluster.nodes()::liveNodes,
                        state::status,
                        threads.single("console"))
                : null;
        WebSite site = console == null
                ? null
                : new WebSite(
                        node,
                        tokens,
                        config.jwtSecret(),
                        time,
                        console::json,
                        () -> console.nodes().stream()
                                .map(NodeRegistry.NodeInfo::url)
                                .toList());
        this.server = new WebSocketServer(
                config.net(),
                gateway,
                tokens,
                state::accepting,
                () -> health().toJson(),
                metrics::scrape,
                site,
                metrics.registry(),
                threads);
        this.life = new NodeLifecycle(
                config,
                time,
                state,
                cluster,
                recovery,
                streams,
                scheduler,
                quickMatch,
                lobbies,
                matches,
                registry,
                gateway,
                lanes,
                calls,
                server,
                console,
                threads,
                () -> new NodeRegistry.NodeInfo(
                        node, playUrl(), registry.count(), matches.matchCount(), state.draining()));
    }

    /** An operator asked for a drain (see {@link NodeLifecycle#drainRequested}); whether it is this node. */
    private boolean drainRequested(String nodeId) {
        return life.drainRequested(nodeId);
    }

    /** The game modes a node serves when it is given none: those its class path provides ({@link GameModes#discover}). */
    public static GameModes shippedModes() {
        return GameModes.discover(TickroomNode.class.getClassLoader());
    }

    /** Redis when the config names one (several nodes share it), else the single node's memory. */
    private static Cluster openCluster(ServerConfig config, TimeSource time, NodeThreads threads) {
        if (config.cluster().clustered()) {
            return RedisCluster.connect(
                    config.cluster(),
                    config.nodeId(),
                    config.lobby().maxLobbies(),
                    config.session().replayDepth(),
                    Math.max(60_000, 2 * config.session().resumeGraceMs()),
                    time::epochMillis,
                    threads);
        }
        return MemoryCluster.create(
                config.nodeId(),
                config.lobby().maxLobbies(),
                config.session().replayDepth(),
                MAX_RESUME_RECORDS,
                config.session().resumeStoreBytes(),
                time::epochMillis);
    }

    private Dispatcher.Builder dispatcher(SessionLanes lanes, Set<ClientFrame.BodyCase> inline) {
        Dispatcher.Builder d = Dispatcher.builder(config.limits(), time)
                .on(ClientFrame.BodyCase.PING, this::pong)
                .translate(ClusterUnavailableException.class, ErrorCode.UNAVAILABLE);
        d.lanes(lanes, inline);
        return d;
    }

    private void pong(Request r) {
        r.reply(ServerFrame.newBuilder()
                .setPong(Pong.newBuilder()
                        .setClientTimeMs(r.frame().getPing().getClientTimeMs())
                        .setServerTimeMs(time.epochMillis())));
    }

    public static TickroomNode start(ServerConfig config) throws Exception {
        TickroomNode node = new TickroomNode(config);
        node.start();
        return node;
    }

    /**
     * Starts the node (see {@link NodeLifecycle#start}): throws a {@code ConfigException} naming the
     * setting when a listener cannot be bound, the keystore does not load or Redis does not answer,
     * and {@link io.tickroom.server.cluster.NodeIdHeldException} when another live node holds this
     * node's id; the node is stopped again in each case.
     */
    public void start() throws Exception {
        life.start();
        // once it serves: a node that cannot start says only why (one line)
        modes.all().forEach(m -> log.info("node {} serves game mode {}", config.nodeId(), modes.describe(m)));
    }

    /** Drains, then stops (see {@link NodeLifecycle#drainAndStop}). */
    public void drainAndStop(long matchLimitMs) throws Exception {
        life.drainAndStop(matchLimitMs);
    }

    /** Says goodbye to every session, waits a bounded time for them to go, and tears down. Idempotent. */
    public void stop() throws Exception {
        life.stop();
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /** The ids of the live nodes, this one included even before its registration shows. */
    private List<String> liveNodeIds() {
        List<String> ids = liveNodes();
        if (ids.contains(config.nodeId())) {
            return ids;
        }
        List<String> withSelf = new java.util.ArrayList<>(ids);
        withSelf.add(config.nodeId()); // not renewed yet (or Redis just came back): still alive
        return withSelf;
    }

    /** The ids of the nodes the registry lists as live (single node: this one, once started). */
    public List<String> liveNodes() {
        return cluster.nodes().liveNodes().stream()
                .map(NodeRegistry.NodeInfo::nodeId)
                .toList();
    }

    public int port() {
        return server.port();
    }

    /** The operator listener's port ({@code --admin-port}); -1 when the operator endpoints are on {@link #port()}. */
    public int adminPort() {
        return server.adminPort();
    }

    /** The URL players connect to: the advertised one, or this listener's. */
    public String playUrl() {
        if (!config.net().advertiseUrl().isEmpty()) {
            return config.net().advertiseUrl();
        }
        String host = config.net().host().equals("0.0.0.0")
                ? "127.0.0.1"
                : config.net().host();
        return (config.net().tls() ? "wss://" : "ws://") + host + ":" + port() + Namespace.PLAY.path();
    }

    /** What {@code /health} answers now. Any thread; reads memory only. */
    public HealthReport health() {
        return HealthReport.of(
                config.nodeId(),
                state.status(),
                config.cluster().clustered(),
                recovery.redisReachable(),
                busUp(),
                state.draining(),
                counts());
    }

    /** What this node holds right now; every number returns to zero when everyone has left. */
    public Counts counts() {
        LobbyDirectory d = cluster.directory();
        return new Counts(
                registry.count(),
                registry.userCount(),
                rooms.roomCount(),
                rooms.membershipCount(),
                d.localLobbies(),
                d.localMembers(),
                streams.streamCount(),
                matches.matchCount(),
                matches.seatedUsers(),
                matches.boundSessions(),
                scheduler.size(),
                quickMatch.queuedCount(),
                lobbies.knownLobbies(),
                calls.pending(),
                lobbies.heldSeats(),
                cluster.resumeStore().count());
    }

    /** Lobby delta runs gathering changes (a leak check: 0 once the lobbies are quiet for 50 ms). */
    public int lobbyDeltaRunsPending() {
        return lobbies.pendingDeltaRuns();
    }

    /** Handshakes refused with 429 (rates, connections per address, sessions per user). */
    public long handshakesRefused() {
        return gateway.handshakesRefused();
    }

    /** Client addresses with open connections (a leak check). */
    public int gatewayAddressesOpen() {
        return gateway.addressesOpen();
    }

    /** Clustered: whether this node receives cross-node pushes right now (single node: always). */
    public boolean busUp() {
        return cluster.bus().isUp();
    }

    /** Dead nodes this node cleaned up after (each dead node is cleaned up by one survivor). */
    public long deadNodesCleaned() {
        return recovery.deadNodesCleaned();
    }

    /** Users holding session slots at the handshake gate (a leak check: 0 once every session is gone). */
    public int gatewaySessionSlots() {
        return gateway.usersHoldingSlots();
    }

    /** Connections closed for not delivering a whole request head in time (slowloris). */
    public long headTimeouts() {
        return server.headTimeouts();
    }

    /** The meters behind {@code /metrics}. */
    public NodeMetrics metrics() {
        return metrics;
    }

    public ServerConfig config() {
        return config;
    }

    public QuickMatchService quickMatch() {
        return quickMatch;
    }

    public MatchDirectory matchDirectory() {
        return cluster.matchDirectory();
    }

    public LobbyDirectory directory() {
        return cluster.directory();
    }

    /** The live sessions (benchmarks open socket-free sessions through it). */
    public SessionRegistry sessions() {
        return registry;
    }

    public MatchService matches() {
        return matches;
    }

    public TickScheduler scheduler() {
        return scheduler;
    }

    /** The player namespace's dispatcher, for its counters. */
    public Dispatcher playDispatcher() {
        return playDispatcher;
    }

    /** Live resources of a node (see {@link #counts()}). */
    public record Counts(
            int sessions,
            int users,
            int rooms,
            int roomMemberships,
            int lobbies,
            int lobbyMembers,
            int streams,
            int matches,
            int seatedUsers,
            int seatedSessions,
            int scheduledMatches,
            int queued,
            int lobbyCache,
            int clusterCalls,
            int heldSeats,
            int resumeRecords) {
        public boolean isZero() {
            return sessions == 0
                    && users == 0
                    && rooms == 0
                    && roomMemberships == 0
                    && lobbies == 0
                    && lobbyMembers == 0
                    && streams == 0
                    && matches == 0
                    && seatedUsers == 0
                    && seatedSessions == 0
                    && scheduledMatches == 0
                    && queued == 0
                    && lobbyCache == 0
                    && clusterCalls == 0
                    && heldSeats == 0
                    && resumeRecords == 0;
        }
    }
}
