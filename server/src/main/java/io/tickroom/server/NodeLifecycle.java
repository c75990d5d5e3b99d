package io.tickroom.server;

import io.tickroom.protocol.v1.Goodbye;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.cluster.NodeIdHeldException;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.matchmaking.QuickMatchService;
import io.tickroom.server.net.Gateway;
import io.tickroom.server.net.WebSocketServer;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.SessionLanes;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.thread.NodeThreads;
import io.tickroom.server.tick.TickScheduler;
import io.tickroom.server.tick.TimeSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's life: {@link #start} starts every thread in dependency order (listener bound first,
 * Redis checked, bus, push outbox, tick threads, matchmaker, node timer, registration, console)
 * and undoes what it started if a step fails; {@link #drainAndStop} sends sessions elsewhere and
 * lets matches finish; {@link #stop} says goodbye and tears down in the reverse order. Start and
 * stop run on the caller's thread (main, the shutdown hook, a test); an admin drain on a thread of
 * its own. Nothing here is built: the root hands over what it wired.
 */
final class NodeLifecycle {
    private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
    /** How often held lobby seats whose resume grace ended are released. */
    static final long SEAT_RELEASE_PERIOD_MS = 250;
    /** How long a starting node waits for its message-bus subscription before it serves anyway (degraded). */
    static final long BUS_UP_WAIT_MS = 5_000;

    private final ServerConfig config;
    private final TimeSource time;
    private final NodeState state;
    private final Cluster cluster;
    private final ClusterRecovery recovery;
    private final Streams streams;
    private final TickScheduler scheduler;
    private final QuickMatchService quickMatch;
    private final LobbyService lobbies;
    private final MatchService matches;
    private final SessionRegistry registry;
    private final Gateway gateway;
    private final SessionLanes lanes;
    private final NodeCalls calls;
    private final WebSocketServer server;
    /** The operator console's sampler; null with {@code --web off}. */
    private final ConsoleStats console;

    private final NodeThreads threads;
    /** This node as the registry lists it (read on every renewal). */
    private final Supplier<NodeRegistry.NodeInfo> self;
    /** Releases held lobby seats and (clustered) looks at Redis; its thread runs from {@link #start}. */
    private final ScheduledExecutorService timer;

    NodeLifecycle(
            ServerConfig config,
            TimeSource time,
            NodeState state,
            Cluster cluster,
            ClusterRecovery recovery,
            Streams streams,
            TickScheduler scheduler,
            QuickMatchService quickMatch,
            LobbyService lobbies,
            MatchService matches,
            SessionRegistry registry,
            Gateway gateway,
            SessionLanes lanes,
            NodeCalls calls,
            WebSocketServer server,
            ConsoleStats console,
            NodeThreads threads,
            Supplier<NodeRegistry.NodeInfo> self) {
        this.config = config;
        this.time = time;
        this.state = state;
        this.cluster = cluster;
        this.recovery = recovery;
        this.streams = streams;
        this.scheduler = scheduler;
        this.quickMatch = quickMatch;
        this.lobbies = lobbies;
        this.matches = matches;
        this.registry = registry;
        this.gateway = gateway;
        this.lanes = lanes;
        this.calls = calls;
        this.server = server;
        this.console = console;
        this.threads = threads;
        this.self = self;
        this.timer = Executors.newSingleThreadScheduledExecutor(threads.single("node"));
    }

    /**
     * Starts the node. On failure everything started so far is stopped again, quietly, and the
     * cause is thrown: a {@link io.tickroom.server.config.ConfigException} naming the setting
     * (port taken, keystore unusable, Redis unreachable), or {@link NodeIdHeldException}.
     */
    void start() throws Exception {
        try {
            server.start(); // binds first: a taken port or a bad keystore fails before anything else runs
            recovery.requireReachable();
            cluster.open();
            // the subscriber connects on its own thread; until it is up every handshake is
            // refused 503 (no push could reach the session), so a node says it serves once it
            // is, or after BUS_UP_WAIT_MS with one line (then it serves as degraded, like a node
            // whose Redis went away, and takes sessions once the subscriber is up)
            if (!cluster.bus().awaitUp(BUS_UP_WAIT_MS)) {
                log.warn(
                        "message bus subscription not up {} ms after start; refusing sessions (503) until it is",
                        BUS_UP_WAIT_MS);
            }
            streams.start();
            scheduler.start();
            quickMatch.start();
            timer.scheduleWithFixedDelay(
                    NodeThreads.escalating(this::releaseSeats),
                    SEAT_RELEASE_PERIOD_MS,
                    SEAT_RELEASE_PERIOD_MS,
                    TimeUnit.MILLISECONDS);
            if (config.cluster().clustered()) {
                long renewMs = config.cluster().renewMs();
                timer.scheduleWithFixedDelay(
                        NodeThreads.escalating(recovery::probe), renewMs, renewMs, TimeUnit.MILLISECONDS);
            }
            // registered once the port is known, before the first session is accepted
            cluster.start(self, recovery::nodeDied);
            if (console != null) {
                console.start(); // after the registration: its first look at the live nodes lists this one
            }
        } catch (Exception | Error e) {
            if (state.beginStop()) {
                tearDown();
            }
            throw e;
        }
        state.serving();
        log.info(
                "node {} listening on {}:{} ({})",
                config.nodeId(),
                config.net().host(),
                server.port(),
                self.get().url());
    }

    private void releaseSeats() {
        try {
            lobbies.releaseExpired();
        } catch (RuntimeException e) {
            log.warn("releasing held lobby seats failed: {}", e.toString());
        }
    }

    /** An operator asked to drain {@code nodeId}; whether it is this node (it then drains and stops, in the background). */
    boolean drainRequested(String nodeId) {
        if (!nodeId.equals(config.nodeId())) {
            return false;
        }
        threads.newThread("drain", () -> {
                    try {
                        drainAndStop(config.match().drainMatchLimitMs());
                    } catch (Exception e) {
                        log.error("drain of {} failed", config.nodeId(), e);
                    }
                })
                .start();
        return true;
    }

    /**
     * Drains, then stops (SIGTERM does this too): takes no new sessions (503) or matches; tells
     * every session not playing a match here {@code goodbye} with the URL of the least-loaded
     * other live node that is not draining itself, and closes it 1001 "server draining", so it
     * resumes there with its lobby seat (held meanwhile); lets running matches finish for up to
     * {@code matchLimitMs}; then stops, leaving the node registry so that a survivor takes over
     * what it still held.
     */
    void drainAndStop(long matchLimitMs) throws Exception {
        if (!state.beginDrain()) {
            return;
        }
        matches.drain();
        String elsewhere = drainTarget(liveNodes(), config.nodeId());
        log.info(
                "node {} draining: {} sessions sent to {}, {} matches finishing",
                config.nodeId(),
                registry.count(),
                elsewhere.isEmpty() ? "(no other node)" : elsewhere,
                matches.matchCount());
        ServerFrame goodbye = ServerFrame.newBuilder()
                .setGoodbye(Goodbye.newBuilder().setReason(CloseCodes.DRAINING).setReconnectUrl(elsewhere))
                .build();
        for (ClientSession s : registry.all()) {
            if (!matches.isPlaying(s)) {
                s.send(goodbye);
                s.closeAt(CloseCodes.GOING_AWAY, CloseCodes.DRAINING, time.nanoTime());
            }
        }
        if (!matches.awaitNoMatches(matchLimitMs)) {
            log.warn(
                    "node {}: {} matches still running after the drain limit; stopping anyway",
                    config.nodeId(),
                    matches.matchCount());
        }
        stop();
    }

    private List<NodeRegistry.NodeInfo> liveNodes() {
        try {
            return cluster.nodes().liveNodes();
        } catch (ClusterUnavailableException e) {
            return List.of();
        }
    }

    /**
     * Where a drain sends sessions: the advertised URL of the least-loaded live node other than
     * {@code selfId} that is not draining itself; "" when there is none.
     */
    static String drainTarget(List<NodeRegistry.NodeInfo> live, String selfId) {
        return live.stream()
                .filter(n -> !n.nodeId().equals(selfId) && !n.draining())
                .min(Comparator.comparingInt(NodeRegistry.NodeInfo::sessions))
                .map(NodeRegistry.NodeInfo::url)
                .orElse("");
    }

    /**
     * Stops the node: new upgrades are refused (503) and {@code /health} turns 503, every
     * session gets {@code goodbye} and close 1001, sessions get {@code shutdownGraceMs} to go,
     * then everything stops. Idempotent.
     */
    void stop() throws Exception {
        if (!state.beginStop()) {
            return;
        }
        ServerFrame goodbye = ServerFrame.newBuilder()
                .setGoodbye(Goodbye.newBuilder().setReason(CloseCodes.SHUTTING_DOWN))
                .build();
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
        tearDown();
        log.info("node {} stopped", config.nodeId());
    }

    /** Stops what runs, in the reverse order of {@link #start}; each step tolerates that its part never started. */
    private void tearDown() throws Exception {
        server.stop();
        if (console != null) {
            console.close();
        }
        quickMatch.close();
        lobbies.close();
        timer.shutdownNow();
        lanes.close();
        calls.close();
        scheduler.close();
        streams.close(); // after the tick threads: the match ends they queued still go out
        cluster.close(); // single node this also drops the resume records: nobody can resume here any more
    }
}
