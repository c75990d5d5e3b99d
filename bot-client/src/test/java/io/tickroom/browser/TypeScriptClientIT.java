package io.tickroom.browser;

import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The TypeScript client ({@code bot-client/ts}): its generated protocol types and the page bundles
 * are not stale, and its own tests ({@code node --test}) pass against two real nodes on a real
 * redis-server — requests and typed errors, resume with replay exactly once in order, a match on
 * the other node, token refresh, and the backoff with a fake clock.
 */
@Timeout(240)
class TypeScriptClientIT {

    @Test
    void generatedFilesAreFreshAndTheNodeTestsPassAgainstTwoRealNodes() throws Exception {
        NodeScripts.ready();
        NodeScripts.run(Duration.ofMinutes(2), Map.of(), "node", "build/check-fresh.mjs");
        NodeScripts.run(Duration.ofMinutes(2), Map.of(), "node", "build/build.mjs", "--lib");
        try (RedisServer redis = RedisServer.start();
                TestNode a =
                        TestNode.start(c -> c.withNodeId("ts-a").withCluster(ClusterConfig.redis(redis.uri(), "ts:")));
                TestNode b = TestNode.start(
                        c -> c.withNodeId("ts-b").withCluster(ClusterConfig.redis(redis.uri(), "ts:")))) {
            List<String> command = new ArrayList<>(List.of("node", "--test"));
            command.addAll(NodeScripts.testFiles("test"));
            NodeScripts.run(
                    Duration.ofMinutes(2),
                    Map.of(
                            "TICKROOM_SECRET",
                            TestNode.SECRET,
                            "TICKROOM_PLAY_URL_A",
                            a.playUri().toString(),
                            "TICKROOM_PLAY_URL_B",
                            b.playUri().toString(),
                            "TICKROOM_REQUIRE_NODE",
                            "1"),
                    command.toArray(String[]::new));
            a.awaitZeroCounts();
            b.awaitZeroCounts();
        }
    }
}
