package io.tickroom.server;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Goodbye;
import io.tickroom.protocol.v1.Pong;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.MatchDirectory;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.cluster.ResumeStore;
import io.tickroom.server.cluster.memory.MemoryCluster;
import io.tickroom.server.cluster.redis.RedisCluster;
import io.tickroom.server.session.ResumeService;
import io.tickroom.server.session.SessionLanes;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.admin.AdminService;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.arena.ArenaGame;
import io.tickroom.server.lobby.DirectMessages;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.match.MatchPlacement;
import io.tickroom.server.match.SeatTokens;
import io.tickroom.server.matchmaking.QuickMatchService;
import io.tickroom.server.matchmaking.RatingWindow;
import io.tickroom.server.net.Gateway;
import io.tickroom.server.net.WebSocketServer;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Tickroom node, wired. Construction builds everything in dependency order; {@link #start}
 * binds the listener; {@link #stop} says goodbye to every session, waits a bounded time for them
 * to go, and tears down. Tests start nodes on port 0 and read {@link #counts()} to prove that
 * nothing leaks.
 */
public final class TickroomNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TickroomNode.class);

    private final ServerConfig config;
    private final TimeSource time;
    private final SessionRegistry registry;
    private final Rooms rooms = new Rooms();
    /** Every port shared with the other nodes: Redis when clustered, memory single-node. */
    private final Cluster cluster;
    private final LobbyDirectory directory;
    private final MatchDirectory matchDirectory;
    private final ResumeStore resumeStore;
    private final ResumeService resume;
    /** Releases lobby seats held for resumes whose grace ended. */
    private final java.util.concurrent.ScheduledExecutorService seatTimer;
    /** Single node: dropped sessions kept for resume at once (oldest dropped past it). */
    static final int MAX_RESUME_RECORDS = 100_000;
    private final Streams streams;
    private final Dispatcher playDispatcher;
    private final TickScheduler scheduler;
    private final MatchService matches;
    private final QuickMatchService quickMatch;
    private final LobbyService lobbies;
    private final WebSocketServer server;
    private final NodeCalls calls;
    private final SessionLanes lanes;
    /**
     * Clustered: the threads that run the sessions' lanes (opens, requests, closes), which may
     * wait on Redis: a frozen Redis holds up to this many of them, never Jetty's threads.
     */
    static final int CLUSTERED_LANE_THREADS = 32;
    /**
     * Single node: nothing on a lane waits on Redis, only on memory and short lobby locks, so
     * one thread per core (at least two, so one long request never stalls every lane) is enough.
     */
    static final int SINGLE_NODE_LANE_THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Requests one session may have waiting on its lane; past it RATE_LIMITED (its open and close are never refused). */
    static final int REQUESTS_WAITING_PER_SESSION = 64;
    private final NodeMetrics metrics;
    /** The operator console's series; null with {@code --web off}. */
    private final ConsoleStats console;
    private final Gateway gateway;
    private final NodeRegistry nodeRegistry;
    private final AtomicBoolean accepting = new AtomicBoolean(false);
    private final AtomicBoolean stopped = new AtomicBoolean(false);
    private final AtomicBoolean draining = new AtomicBoolean(false);
    private final java.util.concurrent.atomic.AtomicLong deadNodesCleaned = new java.util.concurrent.atomic.AtomicLong();

    /** A node with the game modes Tickroom ships ({@link ArenaGame#standardModes()}). */
    public TickroomNode(ServerConfig config) {
        this(config, TimeSource.SYSTEM, new GameModes(ArenaGame.standardModes()));
    }

    public TickroomNode(ServerConfig config, TimeSource time, GameModes modes) {
        this.config = config;
        this.time = time;
        TokenVerifier tokens = new TokenVerifier(config.jwtSecret(), Clock.systemUTC());
        this.lanes = new SessionLanes(config.nodeId(),
                config.cluster().clustered() ? CLUSTERED_LANE_THREADS : SINGLE_NODE_LANE_THREADS,
                REQUESTS_WAITING_PER_SESSION);
        this.registry = new SessionRegistry(lanes);
        this.cluster = openCluster(config, time);
        this.directory = cluster.directory();
        this.matchDirectory = cluster.matchDirectory();
        this.streams = new Streams(rooms, cluster.sequences(), cluster.bus(), cluster.replayLog());
        this.resumeStore = cluster.resumeStore();
        this.nodeRegistry = cluster.nodes();
        this.calls = new NodeCalls(config.nodeId(), cluster.bus(), this::liveNodeIds);
        this.scheduler = new TickScheduler(config.match().tickThreads(), config.match().maxCatchUpTicks(), time);
        this.matches = new MatchService(modes, scheduler, rooms, streams, new SeatTokens(config.jwtSecret()),
                time, config.nodeId(), this::playUrl, config.match().maxMatches(), matchDirectory);
        MatchPlacement placement = new MatchPlacement(config.nodeId(), matches, modes, calls, time);
        this.quickMatch = new QuickMatchService(modes, matches, cluster.matchQueue(),
                streams, time, RatingWindow.defaults(), config.match().maxQueuedPerMode(),
                user -> directory.lobbyOf(user).isPresent(), config.nodeId(), 200, cluster.presence(), placement);
        this.lobbies = new LobbyService(directory, streams, rooms, registry, config.lobby(), config.limits(), time,
                modes, matches, user -> matches.isInMatch(user) || quickMatch.isQueued(user), cluster.presence(),
                placement);
        DirectMessages directMessages = new DirectMessages(streams, config.limits(), time);
        // one user's lobby creates and joins and quick-match enqueues never interleave, whichever tabs ask
        io.tickroom.server.room.StripedLocks perUser = new io.tickroom.server.room.StripedLocks(1024);
        lobbies.serializePerUser(perUser);
        quickMatch.serializePerUser(perUser);

        lobbies.holdSeats(config.session().resumeGraceMs());
        this.resume = new ResumeService(config.nodeId(), config.jwtSecret(), config.session(), resumeStore, registry,
                streams, directory, matchDirectory, time);
        this.seatTimer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickroom-seats-" + config.nodeId());
            t.setDaemon(true);
            return t;
        });

        resume.afterResume(matches::resumed);
        resume.closeOldConnectionsVia(calls);
        registry.addListener(rooms);
        registry.addListener(resume);
        registry.addListener(lobbies);
        registry.addListener(matches);
        registry.addListener(quickMatch);

        Dispatcher.Builder play = Dispatcher.builder(config.limits(), time).on(ClientFrame.BodyCase.PING, this::pong)
                .translate(ClusterUnavailableException.class, ErrorCode.UNAVAILABLE);
        // every request runs on its session's lane, in order between the session's open and close,
        // except those that only hand over to memory: pings, and match inputs, claims and leaves,
        // which go to the match's inbox (the match binds the seat, guarded by the session's lane)
        play.lanes(lanes, java.util.Set.of(ClientFrame.BodyCase.PING, ClientFrame.BodyCase.MATCH_INPUT,
                ClientFrame.BodyCase.JOIN_MATCH, ClientFrame.BodyCase.LEAVE_MATCH));
        io.tickroom.server.session.TokenRefresh refresh = new io.tickroom.server.session.TokenRefresh(tokens);
        resume.register(play);
        refresh.register(play);
        lobbies.register(play);
        directMessages.register(play);
        matches.register(play);
        quickMatch.register(play);
        this.playDispatcher = play.build();
        Dispatcher.Builder adminBuilder = Dispatcher.builder(config.limits(), time).on(ClientFrame.BodyCase.PING, this::pong)
                .translate(ClusterUnavailableException.class, ErrorCode.UNAVAILABLE);
        adminBuilder.lanes(lanes, java.util.Set.of(ClientFrame.BodyCase.PING))
                .requireRole(io.tickroom.server.auth.Principal.ADMIN_ROLE);
        new AdminService(config.nodeId(), registry, rooms, lobbies, calls, time, this::drainRequested).register(adminBuilder);
        refresh.register(adminBuilder);
        Dispatcher admin = adminBuilder.build();

        this.gateway = new Gateway(config.nodeId(), config.net(), config.limits(), config.session(), time, registry,
                Map.of(Namespace.PLAY, playDispatcher, Namespace.ADMIN, admin), resume::token);
        gateway.refuseWhileStoreUnreachable(() -> cluster.bus().isUp());
        this.metrics = new NodeMetrics(config.nodeId());
        metrics.bindSessions(registry, gateway, playDispatcher, resume);
        metrics.bindLanes(lanes, streams);
        metrics.bindGame(directory, lobbies, matches, quickMatch, scheduler);
        metrics.bindCluster(cluster.stats());
        this.console = config.net().web() ? new ConsoleStats(config.nodeId(), time, scheduler, registry::count,
                matches::matchCount, directory::count, registry::framesOut, gateway::framesIn, this::liveNodeInfos,
                this::status) : null;
        io.tickroom.server.net.WebSite site = console == null ? null : new io.tickroom.server.net.WebSite(config.nodeId(),
                tokens, config.jwtSecret(), time, console::json,
                () -> console.nodes().stream().map(NodeRegistry.NodeInfo::url).toList());
        this.server = new WebSocketServer(config.net(), gateway, tokens, accepting::get, this::healthJson, metrics::scrape,
                site, jetty -> {
                    new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(jetty.getThreadPool(),
                            java.util.List.of()).bindTo(metrics.registry());
                    io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics.addToAllConnectors(jetty,
                            metrics.registry());
                });
    }

    /** Redis when the config names one (several nodes share it), else the single node's memory. */
    private static Cluster openCluster(ServerConfig config, TimeSource time) {
        if (config.cluster().clustered()) {
            return RedisCluster.connect(config.cluster(), config.nodeId(), config.lobby().maxLobbies(),
                    config.session().replayDepth(), Math.max(60_000, 2 * config.session().resumeGraceMs()),
                    time::epochMillis);
        }
        return MemoryCluster.create(config.nodeId(), config.lobby().maxLobbies(), config.session().replayDepth(),
                MAX_RESUME_RECORDS, config.session().resumeStoreBytes(), time::epochMillis);
    }

    public static TickroomNode start(ServerConfig config) throws Exception {
        TickroomNode node = new TickroomNode(config);
        node.start();
        return node;
    }

    /**
     * Starts the node: tick threads, the listener, and (clustered) its registration.
     *
     * @throws io.tickroom.server.cluster.NodeIdHeldException clustered, another live node holds
     *         this node's id: the node is stopped again without touching that node's registration
     */
    public void start() throws Exception {
        try {
            startServing();
        } catch (io.tickroom.server.cluster.NodeIdHeldException e) {
            stop();
            throw e;
        }
    }

    private void startServing() throws Exception {
        scheduler.start();
        seatTimer.scheduleWithFixedDelay(() -> {
            try {
                lobbies.releaseExpired();
            } catch (RuntimeException e) {
                log.warn("releasing held lobby seats failed: {}", e.toString());
            }
        }, 250, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
        server.start();
        if (console != null) {
            console.start();
        }
        // registered once the port is known, before the first session is accepted
        cluster.bus().onReconnect(this::rejoined);
        cluster.start(() -> new NodeRegistry.NodeInfo(config.nodeId(), playUrl(), registry.count(), matches.matchCount()),
                (deadNode, users, stoppedCleanly) -> {
                    users.forEach(u -> {
                        if (!nodeRegistry.onlineAnywhere(u)) {
                            quickMatch.evict(u);
                            if (stoppedCleanly) {
                                // told to resume elsewhere: their seats are held here for the grace
                                lobbies.holdFor(u);
                            } else {
                                lobbies.evict(u);
                            }
                        }
                    });
                    int resumable = resumeStore.nodeDied(deadNode, config.session().resumeGraceMs());
                    log.warn("node {} is dead: its {} sessions can be resumed elsewhere for the grace", deadNode,
                            resumable);
                    int gone = matchDirectory.removeNode(deadNode);
                    log.warn("node {} is dead: {} of its matches removed from the directory", deadNode, gone);
                    deadNodesCleaned.incrementAndGet();
                });
        accepting.set(true);
        log.info("node {} listening on {}:{} ({})", config.nodeId(), config.net().host(), port(), playUrl());
    }

    /**
     * Back on Redis after an outage (which may have cost Redis its data): write back this node's
     * share of the cluster state — its lobby memberships, its matches, its stream counters.
     */
    private void rejoined() {
        nodeRegistry.redeclare();
        cluster.bus().awaitUp(5_000); // the rooms' resubscriptions are on their way; publishing needs them
        // pooled connections to the old Redis fail once each before the pool replaces them: retry
        for (int attempt = 1; ; attempt++) {
            try {
                streams.restoreCounters();
                var live = matches.liveEntries();
                matchDirectory.rewrite(live);
                int lobbiesRestored = lobbies.reconcile(config.cluster().nodeTtlMs());
                log.info("node {} rejoined Redis: {} lobbies and {} matches written back", config.nodeId(),
                        lobbiesRestored, live.size());
                return;
            } catch (ClusterUnavailableException e) {
                if (attempt == 10 || stopped.get()) {
                    log.error("node {} could not write its state back to Redis: {}", config.nodeId(), e.getMessage());
                    return;
                }
                try {
                    Thread.sleep(200L * attempt); // a retry pause on a background thread, not a test wait
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The ids of the nodes the registry lists as live (single node: this one, once started). */
    public java.util.List<String> liveNodes() {
        return nodeRegistry.liveNodes().stream().map(NodeRegistry.NodeInfo::nodeId).toList();
    }

    /** The live nodes with their load (single node: this one). */
    private java.util.List<NodeRegistry.NodeInfo> liveNodeInfos() {
        return nodeRegistry.liveNodes();
    }

    /** The ids of the live nodes, this one included even before its registration shows. */
    private java.util.List<String> liveNodeIds() {
        java.util.List<String> ids = liveNodes();
        if (ids.contains(config.nodeId())) {
            return ids;
        }
        java.util.List<String> withSelf = new java.util.ArrayList<>(ids);
        withSelf.add(config.nodeId()); // not renewed yet (or Redis just came back): still alive
        return withSelf;
    }

    /** An operator asked to drain {@code nodeId}; whether it is this node (it then drains and stops, in the background). */
    private boolean drainRequested(String nodeId) {
        if (!nodeId.equals(config.nodeId())) {
            return false;
        }
        Thread t = new Thread(() -> {
            try {
                drainAndStop(config.match().drainMatchLimitMs());
            } catch (Exception e) {
                log.error("drain of {} failed", config.nodeId(), e);
            }
        }, "tickroom-drain");
        t.setDaemon(true);
        t.start();
        return true;
    }

    /**
     * Drains, then stops (SIGTERM does this too): takes no new sessions (503) or matches; tells
     * every session not playing a match here {@code goodbye} with the URL of another live node
     * (the least loaded) and closes it 1001 "server draining", so it resumes there with its lobby
     * seat (held meanwhile); lets running matches finish for up to {@code matchLimitMs}; then
     * stops, leaving the node registry so that a survivor takes over what it still held.
     */
    public void drainAndStop(long matchLimitMs) throws Exception {
        if (!draining.compareAndSet(false, true) || stopped.get()) {
            return;
        }
        accepting.set(false);
        matches.drain();
        String elsewhere = otherNodeUrl();
        log.info("node {} draining: {} sessions sent to {}, {} matches finishing", config.nodeId(), registry.count(),
                elsewhere.isEmpty() ? "(no other node)" : elsewhere, matches.matchCount());
        ServerFrame goodbye = ServerFrame.newBuilder().setGoodbye(Goodbye.newBuilder()
                .setReason(CloseCodes.DRAINING).setReconnectUrl(elsewhere)).build();
        for (ClientSession s : registry.all()) {
            if (!matches.isPlaying(s)) {
                s.send(goodbye);
                s.closeAt(CloseCodes.GOING_AWAY, CloseCodes.DRAINING, time.nanoTime());
            }
        }
        if (!matches.awaitNoMatches(matchLimitMs)) {
            log.warn("node {}: {} matches still running after the drain limit; stopping anyway", config.nodeId(),
                    matches.matchCount());
        }
        stop();
    }

    /** The advertised URL of the least-loaded other live node ("" when there is none). */
    private String otherNodeUrl() {
        try {
            return nodeRegistry.liveNodes().stream().filter(n -> !n.nodeId().equals(config.nodeId()))
                    .min(java.util.Comparator.comparingInt(NodeRegistry.NodeInfo::sessions))
                    .map(NodeRegistry.NodeInfo::url).orElse("");
        } catch (ClusterUnavailableException e) {
            return "";
        }
    }

    private void pong(Request r) {
        r.reply(ServerFrame.newBuilder().setPong(Pong.newBuilder()
                .setClientTimeMs(r.frame().getPing().getClientTimeMs())
                .setServerTimeMs(time.epochMillis())));
    }

    public int port() {
        return server.port();
    }

    /** The URL players connect to: the advertised one, or this listener's. */
    public String playUrl() {
        if (!config.net().advertiseUrl().isEmpty()) {
            return config.net().advertiseUrl();
        }
        String host = config.net().host().equals("0.0.0.0") ? "127.0.0.1" : config.net().host();
        return (config.net().tls() ? "wss://" : "ws://") + host + ":" + port() + Namespace.PLAY.path();
    }

    /** Handshakes refused with 429 (rates, connections per address, sessions per user). */
    public long handshakesRefused() {
        return gateway.handshakesRefused();
    }

    /** Client addresses with open connections (a leak check). */
    public int gatewayAddressesOpen() {
        return gateway.addressesOpen();
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

    /** What this node holds right now; every number returns to zero when everyone has left. */
    public Counts counts() {
        return new Counts(registry.count(), registry.userCount(), rooms.roomCount(), rooms.membershipCount(),
                directory.localLobbies(), directory.localMembers(), streams.streamCount(), matches.matchCount(),
                matches.seatedUsers(), matches.boundSessions(), scheduler.size(), quickMatch.queuedCount(),
                lobbies.knownLobbies(), calls.pending(), lobbies.heldSeats(), resumeStore.count());
    }

    /** Clustered: whether this node receives cross-node pushes right now (single node: always). */
    public boolean busUp() {
        return cluster.bus().isUp();
    }

    /** Dead nodes this node cleaned up after (each dead node is cleaned up by one survivor). */
    public long deadNodesCleaned() {
        return deadNodesCleaned.get();
    }

    public QuickMatchService quickMatch() {
        return quickMatch;
    }

    public MatchDirectory matchDirectory() {
        return matchDirectory;
    }

    public LobbyDirectory directory() {
        return directory;
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

    /**
     * Stops the node: new upgrades are refused (503) and {@code /health} turns 503, every
     * session gets {@code goodbye} and close 1001, sessions get {@code shutdownGraceMs} to go,
     * then the listener stops. Idempotent.
     */
    public void stop() throws Exception {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        accepting.set(false);
        ServerFrame goodbye = ServerFrame.newBuilder()
                .setGoodbye(Goodbye.newBuilder().setReason(CloseCodes.SHUTTING_DOWN)).build();
        for (ClientSession s : registry.all()) {
            s.send(goodbye);
            s.closeAt(CloseCodes.GOING_AWAY, CloseCodes.SHUTTING_DOWN, time.nanoTime());
        }
        long graceEndsNs = System.nanoTime() + config.net().shutdownGraceMs() * 1_000_000L;
        if (!registry.awaitEmpty(config.net().shutdownGraceMs())
                || !gateway.awaitNoConnections(Math.max(0, (graceEndsNs - System.nanoTime()) / 1_000_000L))) {
            log.warn("{} sessions still open after the shutdown grace; closing the listener anyway", registry.count());
        }
        // single node nobody can resume here any more; clustered the survivors hold the seats
        lobbies.dropHeldSeats(!cluster.presence().spansNodes());
        server.stopAccepting();
        server.stop();
        if (console != null) {
            console.close();
        }
        quickMatch.close();
        seatTimer.shutdownNow();
        lanes.close();
        calls.close();
        scheduler.close();
        streams.close(); // after the tick threads: the match ends they queued still go out
        cluster.close(); // single node this also drops the resume records: nobody can resume here any more
        log.info("node {} stopped", config.nodeId());
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    /**
     * The {@code /health} body: status, the live counts (so a soak can watch them return to zero)
     * and the heap used after the last GC (the sum of the heap pools' collection usage).
     */
    private String healthJson() {
        Counts c = counts();
        long heapAfterGc = 0;
        for (java.lang.management.MemoryPoolMXBean pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP && pool.getCollectionUsage() != null) {
                heapAfterGc += pool.getCollectionUsage().getUsed();
            }
        }
        String status = status();
        return "{\"node\":\"" + config.nodeId() + "\",\"status\":\"" + status
                + "\",\"sessions\":" + c.sessions() + ",\"users\":" + c.users() + ",\"rooms\":" + c.rooms()
                + ",\"room_memberships\":" + c.roomMemberships() + ",\"lobbies\":" + c.lobbies()
                + ",\"lobby_members\":" + c.lobbyMembers() + ",\"streams\":" + c.streams()
                + ",\"matches\":" + c.matches() + ",\"seated_users\":" + c.seatedUsers()
                + ",\"seated_sessions\":" + c.seatedSessions() + ",\"scheduled_matches\":" + c.scheduledMatches()
                + ",\"queued\":" + c.queued() + ",\"lobby_cache\":" + c.lobbyCache()
                + ",\"cluster_calls\":" + c.clusterCalls() + ",\"held_seats\":" + c.heldSeats()
                + ",\"resume_records\":" + c.resumeRecords() + ",\"heap_after_gc_bytes\":" + heapAfterGc + "}";
    }

    /** serving, degraded (clustered, the bus is down), draining or stopping. */
    private String status() {
        return draining.get() && !stopped.get() ? "draining" : !accepting.get() ? "stopping"
                : busUp() ? "serving" : "degraded";
    }

    /** Live resources of a node (see {@link #counts()}). */
    public record Counts(int sessions, int users, int rooms, int roomMemberships, int lobbies, int lobbyMembers,
            int streams, int matches, int seatedUsers, int seatedSessions, int scheduledMatches, int queued,
            int lobbyCache, int clusterCalls, int heldSeats, int resumeRecords) {
        public boolean isZero() {
            return sessions == 0 && users == 0 && rooms == 0 && roomMemberships == 0 && lobbies == 0
                    && lobbyMembers == 0 && streams == 0 && matches == 0 && seatedUsers == 0 && seatedSessions == 0
                    && scheduledMatches == 0 && queued == 0 && lobbyCache == 0 && clusterCalls == 0 && heldSeats == 0
                    && resumeRecords == 0;
        }
    }
}
