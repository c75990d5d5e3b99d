package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.cluster.NodeRegistry.NodeInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A drain hands its sessions to the least-loaded live node that is not this one and not draining. */
class DrainTargetTest {

    @Test
    void theLeastLoadedOtherNodeThatIsNotDrainingGetsTheSessions() {
        List<NodeInfo> live = List.of(
                new NodeInfo("self", "ws://self", 0, 0),
                new NodeInfo("idle-but-draining", "ws://d", 1, 0, true),
                new NodeInfo("busy", "ws://busy", 50, 2),
                new NodeInfo("light", "ws://light", 10, 1));
        assertEquals("ws://light", NodeLifecycle.drainTarget(live, "self"));
    }

    @Test
    void noTargetWhenEveryOtherNodeDrainsToo() {
        List<NodeInfo> live = List.of(
                new NodeInfo("self", "ws://self", 0, 0),
                new NodeInfo("b", "ws://b", 1, 0, true),
                new NodeInfo("c", "ws://c", 2, 0, true));
        assertEquals("", NodeLifecycle.drainTarget(live, "self"));
        assertEquals("", NodeLifecycle.drainTarget(List.of(), "self"));
    }
}
