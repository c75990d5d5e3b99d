package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What every {@link NodeRegistry} must do for the node it runs on (what the node's start, drain
 * and cluster calls rely on); run against memory and Redis. Renewals run on the registry's own
 * timer, so listings are awaited.
 */
public abstract class NodeRegistryContract extends PortContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The store loses everything it held (Redis restarted empty); memory never does. */
    protected abstract void loseStoredState();

    protected final List<String> deaths = new CopyOnWriteArrayList<>();

    protected void start(NodeRegistry nodes, NodeRegistry.NodeInfo info) {
        nodes.start(() -> info, (node, users, stopped) -> deaths.add(node));
    }

    protected static boolean listed(NodeRegistry nodes, NodeRegistry.NodeInfo info) {
        return nodes.liveNodes().contains(info);
    }

    @Test
    void listsItselfWithWhatItAdvertisesOnceStarted() throws Exception {
        NodeRegistry nodes = cluster().nodes();
        NodeRegistry.NodeInfo me = new NodeRegistry.NodeInfo(NODE, "ws://a.example:1/ws/play", 3, 1);
        assertFalse(nodes.liveNodes().stream().anyMatch(n -> n.nodeId().equals(NODE)), "not before its start");
        start(nodes, me);
        Await.until(() -> listed(nodes, me), WAIT, () -> "listed: " + nodes.liveNodes());
        assertTrue(deaths.isEmpty(), "no node died: " + deaths);
    }

    @Test
    void theListingFollowsTheLoadTheNodeReports() throws Exception {
        NodeRegistry nodes = cluster().nodes();
        AtomicInteger sessions = new AtomicInteger(1);
        nodes.start(() -> new NodeRegistry.NodeInfo(NODE, "ws://a", sessions.get(), 0), (n, u, s) -> deaths.add(n));
        Await.until(
                () -> listed(nodes, new NodeRegistry.NodeInfo(NODE, "ws://a", 1, 0)),
                WAIT,
                nodes.liveNodes()::toString);
        sessions.set(7);
        Await.until(
                () -> listed(nodes, new NodeRegistry.NodeInfo(NODE, "ws://a", 7, 0)),
                WAIT,
                nodes.liveNodes()::toString);
    }

    @Test
    void aDrainingNodeIsListedAsDraining() throws Exception {
        NodeRegistry nodes = cluster().nodes();
        java.util.concurrent.atomic.AtomicBoolean draining = new java.util.concurrent.atomic.AtomicBoolean();
        nodes.start(() -> new NodeRegistry.NodeInfo(NODE, "ws://a", 4, 0, draining.get()), (n, u, s) -> deaths.add(n));
        Await.until(
                () -> listed(nodes, new NodeRegistry.NodeInfo(NODE, "ws://a", 4, 0)),
                WAIT,
                nodes.liveNodes()::toString);
        draining.set(true);
        Await.until(
                () -> listed(nodes, new NodeRegistry.NodeInfo(NODE, "ws://a", 4, 0, true)),
                WAIT,
                nodes.liveNodes()::toString);
    }

    @Test
    void aClosedNodeIsNoLongerListed() throws Exception {
        Cluster c = cluster();
        NodeRegistry nodes = c.nodes();
        NodeRegistry.NodeInfo me = new NodeRegistry.NodeInfo(NODE, "ws://a", 0, 0);
        start(nodes, me);
        Await.until(() -> listed(nodes, me), WAIT, nodes.liveNodes()::toString);
        nodes.close();
        assertFalse(
                nodes.liveNodes().stream().anyMatch(n -> n.nodeId().equals(NODE)),
                nodes.liveNodes().toString());
    }

    @Test
    void aRedeclaredNodeComesBackWithItsUsersAfterTheStoreLostThem() throws Exception {
        NodeRegistry nodes = cluster().nodes();
        NodeRegistry.NodeInfo me = new NodeRegistry.NodeInfo(NODE, "ws://a", 2, 0);
        start(nodes, me);
        nodes.present("ann");
        Await.until(() -> listed(nodes, me), WAIT, nodes.liveNodes()::toString);
        loseStoredState();
        nodes.redeclare();
        Await.until(
                () -> listed(nodes, me) && nodes.onlineAnywhere("ann"),
                WAIT,
                () -> "back: " + nodes.liveNodes() + ", ann online " + nodes.onlineAnywhere("ann"));
        assertTrue(deaths.isEmpty(), "it never took itself for dead: " + deaths);
    }
}
