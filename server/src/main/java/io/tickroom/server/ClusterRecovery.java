package io.tickroom.server;

import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.NodeRegistry;
import io.tickroom.server.config.ConfigException;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.matchmaking.QuickMatchService;
import io.tickroom.server.room.Streams;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this node keeps the cluster whole: it writes its share of the shared state back after
 * Redis returns (Redis may have lost it), cleans up after a dead node when the registry names
 * this node for it, and knows whether Redis answers (for {@code /health}, and to refuse to start
 * without it). Single node there is nothing to recover: no dead node is ever reported and the bus
 * never reconnects. Called on the bus's rejoin thread, the registry's timer and the node timer.
 */
final class ClusterRecovery {
    private static final Logger log = LoggerFactory.getLogger(ClusterRecovery.class);
    /** Write-back attempts after a reconnect: the pooled connections to the old Redis fail once each first. */
    static final int REJOIN_ATTEMPTS = 10;

    private final ServerConfig config;
    private final Cluster cluster;
    private final Streams streams;
    private final MatchService matches;
    private final LobbyService lobbies;
    private final QuickMatchService quickMatch;
    private final BooleanSupplier stopped;
    private final AtomicLong deadNodesCleaned = new AtomicLong();
    /** Clustered: whether the last look at Redis answered; null before the first look (and single node). */
    private volatile Boolean redisReachable;

    ClusterRecovery(
            ServerConfig config,
            Cluster cluster,
            Streams streams,
            MatchService matches,
            LobbyService lobbies,
            QuickMatchService quickMatch,
            BooleanSupplier stopped) {
        this.config = config;
        this.cluster = cluster;
        this.streams = streams;
        this.matches = matches;
        this.lobbies = lobbies;
        this.quickMatch = quickMatch;
        this.stopped = stopped;
    }

    /**
     * Clustered, at start: waits up to {@link io.tickroom.server.config.ClusterConfig#REDIS_START_WAIT_MS}
     * for Redis to answer; throws a {@link ConfigException} naming {@code --redis} when it does not.
     */
    void requireReachable() throws InterruptedException {
        if (!config.cluster().clustered()) {
            return;
        }
        long deadline = System.nanoTime() + io.tickroom.server.config.ClusterConfig.REDIS_START_WAIT_MS * 1_000_000L;
        for (; ; ) {
            try {
                cluster.nodes().liveNodes();
                redisReachable = true;
                return;
            } catch (ClusterUnavailableException e) {
                if (System.nanoTime() > deadline) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    throw new ConfigException(
                            "--redis: cannot reach " + config.cluster().redisUri() + " (" + cause.getMessage() + ")");
                }
                Thread.sleep(250); // a retry pause while Redis may still be starting, not a test wait
            }
        }
    }

    /** Clustered: looks at Redis once (the node timer, every renewal period). */
    void probe() {
        try {
            cluster.nodes().liveNodes();
            redisReachable = true;
        } catch (ClusterUnavailableException e) {
            redisReachable = false;
        }
    }

    /** Whether Redis answered the last look; null single node (there is no Redis) and before the first look. */
    Boolean redisReachable() {
        return config.cluster().clustered() ? redisReachable : null;
    }

    /**
     * Back on Redis after an outage (which may have cost Redis its data): write back this node's
     * share of the cluster state — its registration and users, its lobby memberships, its
     * matches, its stream counters. On the bus's rejoin thread.
     */
    void rejoined() {
        cluster.nodes().redeclare();
        cluster.bus().awaitUp(5_000); // the rooms' resubscriptions are on their way; publishing needs them
        for (int attempt = 1; ; attempt++) {
            try {
                streams.restoreCounters();
                var live = matches.liveEntries();
                cluster.matchDirectory().rewrite(live);
                int lobbiesRestored = lobbies.reconcile(config.cluster().nodeTtlMs());
                redisReachable = true;
                log.info(
                        "node {} rejoined Redis: {} lobbies and {} matches written back",
                        config.nodeId(),
                        lobbiesRestored,
                        live.size());
                return;
            } catch (ClusterUnavailableException e) {
                if (attempt == REJOIN_ATTEMPTS || stopped.getAsBoolean()) {
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

    /**
     * The registry named this node to clean up after {@code deadNode}: its users that are online
     * nowhere leave the queues and their lobbies (or, when it stopped cleanly and told them to
     * resume elsewhere, keep their seats for the resume grace); its sessions become resumable
     * anywhere; its matches leave the directory. On the registry's thread.
     */
    void nodeDied(String deadNode, List<String> users, boolean stoppedCleanly) {
        NodeRegistry nodes = cluster.nodes();
        users.forEach(u -> {
            if (!nodes.onlineAnywhere(u)) {
                quickMatch.evict(u);
                if (stoppedCleanly) {
                    lobbies.holdFor(u); // told to resume elsewhere: their seats are held here for the grace
                } else {
                    lobbies.evict(u);
                }
            }
        });
        int resumable =
                cluster.resumeStore().nodeDied(deadNode, config.session().resumeGraceMs());
        log.warn("node {} is dead: its {} sessions can be resumed elsewhere for the grace", deadNode, resumable);
        int gone = cluster.matchDirectory().removeNode(deadNode);
        log.warn("node {} is dead: {} of its matches removed from the directory", deadNode, gone);
        deadNodesCleaned.incrementAndGet();
    }

    /** Dead nodes this node cleaned up after (each dead node is cleaned up by one survivor). */
    long deadNodesCleaned() {
        return deadNodesCleaned.get();
    }
}
