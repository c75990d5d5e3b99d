package io.tickroom.server;

import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.auth.TokenPolicy;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.config.MatchConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.NodeIds;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.thread.FatalErrorHandler;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.Objects;

/**
 * Tickroom embedded in a studio's own {@code main}: a builder over the configuration records, the
 * same one {@code ServerMain} uses.
 *
 * <pre>{@code
 * try (TickroomServer server = TickroomServer.builder()
 *         .jwtSecret(secret)
 *         .net(NetConfig.defaults().withPort(9000))
 *         .modes(List.of(GameMode.of("tag", 2, 8, 4, TagGame::new)))
 *         .start()) {
 *     ... // server.playUrl()
 * }
 * }</pre>
 *
 * Every part the builder is not given has its record's default ({@code defaults()}); without
 * modes the node serves the ones Tickroom ships. {@link #close} stops the node cleanly (goodbye to
 * every session, then tear-down); {@link #drainAndStop} drains first. Thread-safe after start.
 */
public final class TickroomServer implements AutoCloseable {
    private final TickroomNode node;

    private TickroomServer(TickroomNode node) {
        this.node = node;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The node, for what this facade does not say (counts, metrics, health). */
    public TickroomNode node() {
        return node;
    }

    public int port() {
        return node.port();
    }

    public String playUrl() {
        return node.playUrl();
    }

    /** Drains (sessions sent to another node, matches finish within {@code --drain-match-limit-ms}), then stops. */
    public void drainAndStop() throws Exception {
        node.drainAndStop(node.config().match().drainMatchLimitMs());
    }

    /** Stops the node: goodbye to every session, a bounded grace, then every thread ends. Idempotent. */
    @Override
    public void close() throws Exception {
        node.stop();
    }

    /** Collects the configuration records and the seams; {@link #start} builds and starts the node. Not thread-safe. */
    public static final class Builder {
        private String nodeId;
        private String jwtSecret;
        private NetConfig net = NetConfig.defaults();
        private LimitsConfig limits = LimitsConfig.defaults();
        private LobbyConfig lobby = LobbyConfig.defaults();
        private MatchConfig match = MatchConfig.defaults();
        private ClusterConfig cluster = ClusterConfig.singleNode();
        private SessionConfig session = SessionConfig.defaults();
        private TokenPolicy tokens = TokenPolicy.DEFAULTS;
        private GameModes modes;
        private TimeSource time = TimeSource.SYSTEM;
        private Authenticator authenticator;
        private FatalErrorHandler onFatal = FatalErrorHandler.HALT;

        private Builder() {}

        /** Every record at once (what the command line parsed). */
        public Builder config(ServerConfig c) {
            this.nodeId = c.nodeId();
            this.jwtSecret = c.jwtSecret();
            this.net = c.net();
            this.limits = c.limits();
            this.lobby = c.lobby();
            this.match = c.match();
            this.cluster = c.cluster();
            this.session = c.session();
            this.tokens = c.tokens();
            return this;
        }

        /** Default: a fresh unique id ({@link NodeIds#unique()}). */
        public Builder nodeId(String id) {
            this.nodeId = id;
            return this;
        }

        /** Required unless {@link #authenticator} is given (seat and resume tokens are signed with it too). */
        public Builder jwtSecret(String secret) {
            this.jwtSecret = secret;
            return this;
        }

        public Builder net(NetConfig n) {
            this.net = Objects.requireNonNull(n);
            return this;
        }

        public Builder limits(LimitsConfig l) {
            this.limits = Objects.requireNonNull(l);
            return this;
        }

        public Builder lobby(LobbyConfig l) {
            this.lobby = Objects.requireNonNull(l);
            return this;
        }

        public Builder match(MatchConfig m) {
            this.match = Objects.requireNonNull(m);
            return this;
        }

        public Builder cluster(ClusterConfig c) {
            this.cluster = Objects.requireNonNull(c);
            return this;
        }

        public Builder session(SessionConfig s) {
            this.session = Objects.requireNonNull(s);
            return this;
        }

        public Builder tokens(TokenPolicy t) {
            this.tokens = Objects.requireNonNull(t);
            return this;
        }

        /** The game modes served; default {@link TickroomNode#shippedModes()}. */
        public Builder modes(GameModes m) {
            this.modes = Objects.requireNonNull(m);
            return this;
        }

        public Builder modes(List<GameMode> m) {
            return modes(new GameModes(m));
        }

        /** The node's clock (tests give a fake one). */
        public Builder time(TimeSource t) {
            this.time = Objects.requireNonNull(t);
            return this;
        }

        /** Custom auth: how a handshake token becomes a principal. Default: HS256 JWTs with the secret and {@link #tokens}. */
        public Builder authenticator(Authenticator a) {
            this.authenticator = Objects.requireNonNull(a);
            return this;
        }

        /** What an {@link Error} escaping one of the node's threads does. Default {@link FatalErrorHandler#HALT}. */
        public Builder onFatalError(FatalErrorHandler h) {
            this.onFatal = Objects.requireNonNull(h);
            return this;
        }

        /** The configuration as built so far (validated: a bad one throws a {@code ConfigException} naming the setting). */
        public ServerConfig config() {
            return new ServerConfig(
                    nodeId == null ? NodeIds.unique() : nodeId,
                    jwtSecret,
                    net,
                    limits,
                    lobby,
                    match,
                    cluster,
                    session,
                    tokens);
        }

        /** Builds the node (no thread runs yet). */
        public TickroomNode build() {
            return new TickroomNode(
                    config(), time, modes != null ? modes : TickroomNode.shippedModes(), authenticator, onFatal);
        }

        /** Builds and starts the node; throws like {@link TickroomNode#start}, with nothing left running. */
        public TickroomServer start() throws Exception {
            TickroomNode node = build();
            node.start();
            return new TickroomServer(node);
        }
    }
}
