package io.tickroom.server.testing;

import io.tickroom.server.TickroomNode;
import io.tickroom.server.arena.ArenaGame;
import io.tickroom.server.auth.Tokens;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.tick.TimeSource;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/** A real node on a free port with the test secret; closes itself. */
public final class TestNode implements AutoCloseable {
    public static final String SECRET = "test-secret-test-secret-test-secret-0123";

    private final TickroomNode node;

    private TestNode(ServerConfig config, GameModes modes) throws Exception {
        node = new TickroomNode(config, TimeSource.SYSTEM, modes);
        node.start();
    }

    public static ServerConfig config() {
        NetConfig net = NetConfig.defaults();
        net = new NetConfig(
                "127.0.0.1",
                0,
                "",
                List.of(),
                net.maxFrameBytes(),
                30_000,
                10_000,
                net.outboundQueueFrames(),
                net.maxInFlightFrames(),
                net.writeTimeoutMs(),
                2_000,
                false);
        // a short resume grace, so that a test's dropped sessions let go of their seats quickly;
        // every test client connects from 127.0.0.1, so the per-address limits are lifted
        // (HardeningIT sets them low on purpose), and tests create lobbies faster than players
        // would (LobbySquattingIT sets the creation rates low on purpose)
        SessionConfig d = SessionConfig.defaults();
        return ServerConfig.defaults("test-node", SECRET)
                .withNet(net)
                .withLimits(LimitsConfig.defaults())
                .withLobby(LobbyConfig.defaults().withCreatesPerMinute(100_000, 100_000))
                .withSession(new SessionConfig(
                        3_000,
                        d.replayDepth(),
                        d.answerWindow(),
                        d.resumeHoldMs(),
                        d.maxSessionsPerUser(),
                        100_000,
                        100_000,
                        100_000,
                        d.maxTrackedAddresses()));
    }

    public static TestNode start() throws Exception {
        return new TestNode(config(), new GameModes(ArenaGame.standardModes()));
    }

    public static TestNode start(UnaryOperator<ServerConfig> tweak) throws Exception {
        return new TestNode(tweak.apply(config()), new GameModes(ArenaGame.standardModes()));
    }

    public static TestNode start(GameModes modes) throws Exception {
        return new TestNode(config(), modes);
    }

    public TickroomNode node() {
        return node;
    }

    public URI playUri() {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws/play");
    }

    public URI adminUri() {
        return URI.create("ws://127.0.0.1:" + node.port() + "/ws/admin");
    }

    public int port() {
        return node.port();
    }

    public static String token(String userId) {
        return Tokens.mint(
                SECRET, userId, "Name of " + userId, List.of(), Instant.now().plus(Duration.ofHours(1)), null);
    }

    public static String tokenWithRating(String userId, int rating) {
        return Tokens.mint(
                SECRET, userId, "Name of " + userId, List.of(), Instant.now().plus(Duration.ofHours(1)), rating);
    }

    public static String token(String userId, List<String> roles) {
        return Tokens.mint(
                SECRET, userId, "Name of " + userId, roles, Instant.now().plus(Duration.ofHours(1)), null);
    }

    /** Connects a player with a fresh token for {@code userId} and waits for its welcome. */
    public TestClient connect(String userId) throws Exception {
        return TestClient.connect(playUri(), token(userId));
    }

    /** Waits until every count of the node is zero, or fails naming what is left. */
    public void awaitZeroCounts() throws InterruptedException {
        Await.until(() -> node.counts().isZero(), Duration.ofSeconds(10), () -> "counts not zero: " + node.counts());
    }

    /** Waits for a server-side condition that has no event to wait on. */
    public static void awaitCount(java.util.function.BooleanSupplier condition, String failure)
            throws InterruptedException {
        Await.until(condition, Duration.ofSeconds(10), () -> failure);
    }

    @Override
    public void close() throws Exception {
        node.stop();
    }
}
