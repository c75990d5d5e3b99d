package io.tickroom.server;

import io.tickroom.server.auth.TokenPolicy;
import io.tickroom.server.auth.Tokens;
import io.tickroom.server.cluster.NodeIdHeldException;
import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.config.ConfigException;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.LobbyConfig;
import io.tickroom.server.config.MatchConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.NodeIds;
import io.tickroom.server.config.ServerConfig;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.match.GameJars;
import io.tickroom.server.match.GameModes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs a node: {@code java -jar tickroom-server.jar [flags]}. Every flag {@code --foo-bar} also
 * reads the environment variable {@code TICKROOM_FOO_BAR} and, if a configuration file is given
 * ({@code --config FILE} or {@code TICKROOM_CONFIG}), its key {@code foo-bar}. Precedence: flag,
 * then environment, then file, then the default, which each option reads from its config record's
 * {@code DEFAULT_*} constant (nothing here restates a default). Unknown keys in the file are an
 * error. The options are grouped as the records are; {@code --help} shows the groups, each
 * option's variable and key, and the endpoints.
 *
 * <p>Exit status: 2 when the configuration is bad or the node cannot start (a port is taken, the
 * keystore does not load, Redis does not answer, another live node holds the id), each said in
 * one line naming the setting; 70 when an {@link Error} escapes one of the node's threads later.
 */
@Command(
        name = "tickroom-server",
        mixinStandardHelpOptions = true,
        versionProvider = ServerMain.VersionProvider.class,
        customSynopsis = "tickroom-server [OPTION]... | tickroom-server (token | admin) [OPTION]...",
        description = {
            "Runs one Tickroom node: game lobbies and fixed-tick matches over WebSocket (binary protobuf).",
            "Each option can also be set by its environment variable or its key in the --config file;",
            "an option wins over the environment, the environment over the file, the file over the default."
        },
        commandListHeading = "%nCommands:%n",
        subcommands = {ServerMain.TokenCommand.class, io.tickroom.server.admin.AdminCli.class},
        sortOptions = false,
        usageHelpWidth = 100,
        footer = {
            "",
            "Endpoints (HTTP and WebSocket on --port; with --admin-port the operator ones move there):",
            "  /ws/play              players' WebSocket (token in Authorization: Bearer or ?access_token=)",
            "  /ws/admin             operators' WebSocket (token with role admin); also on --admin-port",
            "  /health               200 while serving, 503 otherwise; JSON: status, version, cluster, counts",
            "  /metrics              Prometheus text format                       [operator]",
            "  /console, /console/api/stats   operator console and its data (--web on) [operator]",
            "  /, /web/*             demo page and assets (--web on)",
            "  /dev/token            POST: mints tokens, only with the development secret",
            "",
            "Exit status: 0 stopped, 2 bad configuration or cannot start (one line names the setting),",
            "70 a fatal error (an Error on one of the node's threads)."
        })
public final class ServerMain implements Callable<Integer> {
    static final int BAD_CONFIG = 2;

    /**
     * The option sections, in --help order: each is a mixin (named by its field) of the options of
     * one config record. Mixins, not picocli argument groups: a group given one of its options
     * twice starts a new group instance, and every other option of that group given before the
     * repeat silently fell back to its default (so {@code --max-lobby-players 4096
     * --lobby-creates-per-minute-per-ip 1000000 --max-lobby-players 8} dropped the rate to 60/min).
     * With mixins a flag given twice simply takes its last value.
     */
    static final List<Map.Entry<String, String>> SECTIONS = List.of(
            Map.entry("network", "Network"),
            Map.entry("auth", "Authentication"),
            Map.entry("limits", "Limits (per session, per user, per client address)"),
            Map.entry("sessions", "Sessions and resume"),
            Map.entry("lobbies", "Lobbies"),
            Map.entry("matches", "Matches"),
            Map.entry("cluster", "Cluster"),
            Map.entry("operations", "Operations"));

    @Mixin
    Network network = new Network();

    @Mixin
    Auth auth = new Auth();

    @Mixin
    Limits limits = new Limits();

    @Mixin
    Sessions sessions = new Sessions();

    @Mixin
    Lobbies lobbies = new Lobbies();

    @Mixin
    Matches matches = new Matches();

    @Mixin
    Cluster cluster = new Cluster();

    @Mixin
    Operations operations = new Operations();

    static final class Network {
        @Option(
                names = "--host",
                paramLabel = "HOST",
                defaultValue = "${env:TICKROOM_HOST:-" + NetConfig.DEFAULT_HOST + "}",
                description = "Interface to bind (${DEFAULT-VALUE}).")
        String host;

        @Option(
                names = "--port",
                paramLabel = "PORT",
                defaultValue = "${env:TICKROOM_PORT:-" + NetConfig.DEFAULT_PORT + "}",
                description = "Players' port (${DEFAULT-VALUE}); 0 picks a free one.")
        int port;

        @Option(
                names = "--advertise-url",
                paramLabel = "URL",
                defaultValue = "${env:TICKROOM_ADVERTISE_URL:-}",
                description =
                        "WebSocket URL clients use to reach this node's /ws/play (default ws://host:port/ws/play).")
        String advertiseUrl;

        @Option(
                names = "--allowed-origins",
                paramLabel = "ORIGINS",
                split = ",",
                defaultValue = "${env:TICKROOM_ALLOWED_ORIGINS:-}",
                description = "Comma-separated browser origins allowed to connect; empty allows all.")
        List<String> allowedOrigins;

        @Option(
                names = "--tls-keystore",
                paramLabel = "FILE",
                defaultValue = "${env:TICKROOM_TLS_KEYSTORE:-}",
                description =
                        "PKCS12 keystore with the server key and certificate: serve wss:// and https:// (empty: plain).")
        String tlsKeystore;

        @Option(
                names = "--tls-password",
                paramLabel = "PASSWORD",
                defaultValue = "${env:TICKROOM_TLS_PASSWORD:-}",
                description = "The keystore's password (prefer the environment).")
        String tlsPassword;

        @Option(
                names = "--max-frame-bytes",
                defaultValue = "${env:TICKROOM_MAX_FRAME_BYTES:-" + NetConfig.DEFAULT_MAX_FRAME_BYTES + "}",
                description = "Largest inbound frame (${DEFAULT-VALUE}).")
        int maxFrameBytes;

        @Option(
                names = "--idle-timeout-ms",
                defaultValue = "${env:TICKROOM_IDLE_TIMEOUT_MS:-" + NetConfig.DEFAULT_IDLE_TIMEOUT_MS + "}",
                description = "Close a silent peer after (${DEFAULT-VALUE}).")
        long idleTimeoutMs;

        @Option(
                names = "--ping-interval-ms",
                defaultValue = "${env:TICKROOM_PING_INTERVAL_MS:-" + NetConfig.DEFAULT_PING_INTERVAL_MS + "}",
                description = "Server ping period (${DEFAULT-VALUE}).")
        long pingIntervalMs;

        @Option(
                names = "--outbound-queue-frames",
                defaultValue = "${env:TICKROOM_OUTBOUND_QUEUE_FRAMES:-" + NetConfig.DEFAULT_OUTBOUND_QUEUE_FRAMES + "}",
                description = "Frames queued per session before 'slow consumer' (${DEFAULT-VALUE}).")
        int outboundQueueFrames;

        @Option(
                names = "--max-in-flight-frames",
                defaultValue = "${env:TICKROOM_MAX_IN_FLIGHT_FRAMES:-" + NetConfig.DEFAULT_MAX_IN_FLIGHT_FRAMES + "}",
                description = "Frames handed to the connection's writer per session at once (${DEFAULT-VALUE}).")
        int maxInFlightFrames;

        @Option(
                names = "--outbound-queue-bytes",
                defaultValue = "${env:TICKROOM_OUTBOUND_QUEUE_BYTES:-" + NetConfig.DEFAULT_OUTBOUND_QUEUE_BYTES + "}",
                description = "Bytes queued and in flight per session before 'slow consumer' (${DEFAULT-VALUE}).")
        long outboundQueueBytes;

        @Option(
                names = "--request-head-timeout-ms",
                defaultValue =
                        "${env:TICKROOM_REQUEST_HEAD_TIMEOUT_MS:-" + NetConfig.DEFAULT_REQUEST_HEAD_TIMEOUT_MS + "}",
                description =
                        "A connection's request head must arrive whole within this long, or it is closed (${DEFAULT-VALUE}).")
        long requestHeadTimeoutMs;

        @Option(
                names = "--max-connections",
                defaultValue = "${env:TICKROOM_MAX_CONNECTIONS:-" + NetConfig.DEFAULT_MAX_CONNECTIONS + "}",
                description =
                        "TCP connections held at once, counted from accept; past it new ones wait in the backlog (${DEFAULT-VALUE}).")
        int maxConnections;

        @Option(
                names = "--write-timeout-ms",
                defaultValue = "${env:TICKROOM_WRITE_TIMEOUT_MS:-" + NetConfig.DEFAULT_WRITE_TIMEOUT_MS + "}",
                description = "Drop a session whose write stalls this long (${DEFAULT-VALUE}).")
        long writeTimeoutMs;

        @Option(
                names = "--permessage-deflate",
                defaultValue = "${env:TICKROOM_PERMESSAGE_DEFLATE:-" + NetConfig.DEFAULT_PERMESSAGE_DEFLATE + "}",
                description = "Accept permessage-deflate (${DEFAULT-VALUE}).")
        boolean permessageDeflate;
    }

    static final class Auth {
        @Option(
                names = "--jwt-secret",
                paramLabel = "SECRET",
                defaultValue = "${env:TICKROOM_JWT_SECRET}",
                description = "HS256 secret tokens are verified with, at least 32 bytes (required).")
        String jwtSecret;

        @Option(
                names = "--jwt-issuer",
                paramLabel = "ISS",
                defaultValue = "${env:TICKROOM_JWT_ISSUER:-" + TokenPolicy.DEFAULT_ISSUER + "}",
                description = "Required iss claim (empty: not checked).")
        String issuer;

        @Option(
                names = "--jwt-audience",
                paramLabel = "AUD",
                defaultValue = "${env:TICKROOM_JWT_AUDIENCE:-" + TokenPolicy.DEFAULT_AUDIENCE + "}",
                description = "Required among the aud claim (empty: not checked).")
        String audience;

        @Option(
                names = "--jwt-max-lifetime-ms",
                defaultValue = "${env:TICKROOM_JWT_MAX_LIFETIME_MS:-" + TokenPolicy.DEFAULT_MAX_LIFETIME_MS + "}",
                description = "Longest a token may live, exp - iat (${DEFAULT-VALUE}); longer ones are refused.")
        long maxLifetimeMs;

        @Option(
                names = "--jwt-clock-skew-ms",
                defaultValue = "${env:TICKROOM_JWT_CLOCK_SKEW_MS:-" + TokenPolicy.DEFAULT_CLOCK_SKEW_MS + "}",
                description = "Leeway for nbf (${DEFAULT-VALUE}; never for exp).")
        long clockSkewMs;

        TokenPolicy toPolicy() {
            try {
                return new TokenPolicy(issuer, audience, maxLifetimeMs, clockSkewMs);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(e.getMessage());
            }
        }
    }

    static final class Limits {
        @Option(
                names = "--requests-per-second",
                defaultValue = "${env:TICKROOM_REQUESTS_PER_SECOND:-" + LimitsConfig.DEFAULT_REQUESTS_PER_SECOND + "}",
                description = "Sustained requests per session (${DEFAULT-VALUE}).")
        int requestsPerSecond;

        @Option(
                names = "--request-burst",
                defaultValue = "${env:TICKROOM_REQUEST_BURST:-" + LimitsConfig.DEFAULT_REQUEST_BURST + "}",
                description = "Request burst per session (${DEFAULT-VALUE}).")
        int requestBurst;

        @Option(
                names = "--flood-close-after",
                defaultValue = "${env:TICKROOM_FLOOD_CLOSE_AFTER:-" + LimitsConfig.DEFAULT_FLOOD_CLOSE_AFTER + "}",
                description = "Rate-limited requests within ~10 s before close 1008 (${DEFAULT-VALUE}).")
        int floodCloseAfter;

        @Option(
                names = "--chat-per-second",
                defaultValue = "${env:TICKROOM_CHAT_PER_SECOND:-" + LimitsConfig.DEFAULT_CHAT_PER_SECOND + "}",
                description = "Chat lines per session per second (${DEFAULT-VALUE}).")
        int chatPerSecond;

        @Option(
                names = "--chat-burst",
                defaultValue = "${env:TICKROOM_CHAT_BURST:-" + LimitsConfig.DEFAULT_CHAT_BURST + "}",
                description = "Chat burst (${DEFAULT-VALUE}).")
        int chatBurst;

        @Option(
                names = "--max-chat-chars",
                defaultValue = "${env:TICKROOM_MAX_CHAT_CHARS:-" + LimitsConfig.DEFAULT_MAX_CHAT_CHARS + "}",
                description = "Longest chat line (${DEFAULT-VALUE}).")
        int maxChatChars;

        @Option(
                names = "--max-invalid-frames",
                defaultValue = "${env:TICKROOM_MAX_INVALID_FRAMES:-" + LimitsConfig.DEFAULT_MAX_INVALID_FRAMES + "}",
                description = "Undecodable frames before close 1008 (${DEFAULT-VALUE}).")
        int maxInvalidFrames;

        @Option(
                names = "--max-sessions-per-user",
                defaultValue =
                        "${env:TICKROOM_MAX_SESSIONS_PER_USER:-" + SessionConfig.DEFAULT_MAX_SESSIONS_PER_USER + "}",
                description = "Sessions of one user per node; more get HTTP 429 (${DEFAULT-VALUE}).")
        int maxSessionsPerUser;

        @Option(
                names = "--max-connections-per-ip",
                defaultValue =
                        "${env:TICKROOM_MAX_CONNECTIONS_PER_IP:-" + SessionConfig.DEFAULT_MAX_CONNECTIONS_PER_IP + "}",
                description = "Open connections per client address; more get HTTP 429 (${DEFAULT-VALUE}).")
        int maxConnectionsPerIp;

        @Option(
                names = "--handshakes-per-second-per-ip",
                defaultValue = "${env:TICKROOM_HANDSHAKES_PER_SECOND_PER_IP:-"
                        + SessionConfig.DEFAULT_HANDSHAKES_PER_SECOND_PER_IP + "}",
                description = "Sustained upgrade attempts per client address; more get HTTP 429 (${DEFAULT-VALUE}).")
        int handshakesPerSecondPerIp;

        @Option(
                names = "--handshake-burst-per-ip",
                defaultValue =
                        "${env:TICKROOM_HANDSHAKE_BURST_PER_IP:-" + SessionConfig.DEFAULT_HANDSHAKE_BURST_PER_IP + "}",
                description = "Upgrade attempts per client address at once (${DEFAULT-VALUE}).")
        int handshakeBurstPerIp;

        @Option(
                names = "--pings-per-second",
                defaultValue = "${env:TICKROOM_PINGS_PER_SECOND:-" + LimitsConfig.DEFAULT_PINGS_PER_SECOND + "}",
                description =
                        "Client pings answered per connection per second; faster ones cost strikes (${DEFAULT-VALUE}).")
        int pingsPerSecond;

        @Option(
                names = "--ping-burst",
                defaultValue = "${env:TICKROOM_PING_BURST:-" + LimitsConfig.DEFAULT_PING_BURST + "}",
                description = "Client pings answered at once (${DEFAULT-VALUE}).")
        int pingBurst;

        LimitsConfig toConfig() {
            return new LimitsConfig(
                    requestsPerSecond,
                    requestBurst,
                    floodCloseAfter,
                    chatPerSecond,
                    chatBurst,
                    maxChatChars,
                    maxInvalidFrames,
                    pingsPerSecond,
                    pingBurst);
        }
    }

    static final class Sessions {
        @Option(
                names = "--resume-grace-ms",
                defaultValue = "${env:TICKROOM_RESUME_GRACE_MS:-" + SessionConfig.DEFAULT_RESUME_GRACE_MS + "}",
                description =
                        "How long a dropped session can be resumed on any node, its lobby seat held (${DEFAULT-VALUE}; 0: off).")
        long resumeGraceMs;

        @Option(
                names = "--replay-depth",
                defaultValue = "${env:TICKROOM_REPLAY_DEPTH:-" + SessionConfig.DEFAULT_REPLAY_DEPTH + "}",
                description = "Reliable pushes kept per stream for resume (${DEFAULT-VALUE}).")
        int replayDepth;

        @Option(
                names = "--answer-window",
                defaultValue = "${env:TICKROOM_ANSWER_WINDOW:-" + SessionConfig.DEFAULT_ANSWER_WINDOW + "}",
                description = "Recent answers kept per session for retried requests (${DEFAULT-VALUE}).")
        int answerWindow;

        @Option(
                names = "--resume-hold-ms",
                defaultValue = "${env:TICKROOM_RESUME_HOLD_MS:-" + SessionConfig.DEFAULT_RESUME_HOLD_MS + "}",
                description = "How long a resuming connection's pushes wait for its resume request (${DEFAULT-VALUE}).")
        long resumeHoldMs;

        @Option(
                names = "--resume-store-bytes",
                defaultValue = "${env:TICKROOM_RESUME_STORE_BYTES:-" + SessionConfig.DEFAULT_RESUME_STORE_BYTES + "}",
                description =
                        "Single node: bytes the dropped sessions' resume records hold together; oldest dropped past it (${DEFAULT-VALUE}).")
        long resumeStoreBytes;

        @Option(
                names = "--resume-record-bytes",
                defaultValue = "${env:TICKROOM_RESUME_RECORD_BYTES:-" + SessionConfig.DEFAULT_RESUME_RECORD_BYTES + "}",
                description =
                        "Bytes of recent answers a session keeps for retries; an answer over a quarter of it is not kept (${DEFAULT-VALUE}).")
        long resumeRecordBytes;

        SessionConfig toConfig(Limits l) {
            return new SessionConfig(
                    resumeGraceMs,
                    replayDepth,
                    answerWindow,
                    resumeHoldMs,
                    l.maxSessionsPerUser,
                    l.maxConnectionsPerIp,
                    l.handshakesPerSecondPerIp,
                    l.handshakeBurstPerIp,
                    SessionConfig.DEFAULT_MAX_TRACKED_ADDRESSES,
                    resumeStoreBytes,
                    resumeRecordBytes);
        }
    }

    static final class Lobbies {
        @Option(
                names = "--max-lobbies",
                defaultValue = "${env:TICKROOM_MAX_LOBBIES:-" + LobbyConfig.DEFAULT_MAX_LOBBIES + "}",
                description = "Lobbies held at once (${DEFAULT-VALUE}).")
        int maxLobbies;

        @Option(
                names = "--max-lobby-players",
                defaultValue = "${env:TICKROOM_MAX_LOBBY_PLAYERS:-" + LobbyConfig.DEFAULT_MAX_PLAYERS + "}",
                description = "Largest lobby, up to 4096 (${DEFAULT-VALUE}).")
        int maxLobbyPlayers;

        @Option(
                names = "--lobby-creates-per-minute-per-user",
                defaultValue = "${env:TICKROOM_LOBBY_CREATES_PER_MINUTE_PER_USER:-"
                        + LobbyConfig.DEFAULT_CREATES_PER_MINUTE_PER_USER + "}",
                description = "Lobbies one user may create per minute (${DEFAULT-VALUE}).")
        int lobbyCreatesPerMinutePerUser;

        @Option(
                names = "--lobby-creates-per-minute-per-ip",
                defaultValue = "${env:TICKROOM_LOBBY_CREATES_PER_MINUTE_PER_IP:-"
                        + LobbyConfig.DEFAULT_CREATES_PER_MINUTE_PER_IP + "}",
                description = "Lobbies the users of one client address may create per minute (${DEFAULT-VALUE}).")
        int lobbyCreatesPerMinutePerIp;

        @Option(
                names = "--join-code-failures-per-minute",
                defaultValue = "${env:TICKROOM_JOIN_CODE_FAILURES_PER_MINUTE:-"
                        + LobbyConfig.DEFAULT_JOIN_CODE_FAILURES_PER_MINUTE + "}",
                description =
                        "Wrong join codes one user may try per minute before joins by code are refused (${DEFAULT-VALUE}).")
        int joinCodeFailuresPerMinute;

        @Option(
                names = "--abandoned-lobby-hold-ms",
                defaultValue = "${env:TICKROOM_ABANDONED_LOBBY_HOLD_MS:-" + LobbyConfig.DEFAULT_ABANDONED_HOLD_MS + "}",
                description =
                        "How long a lobby whose every member dropped counts against --max-lobbies (${DEFAULT-VALUE}).")
        long abandonedLobbyHoldMs;

        LobbyConfig toConfig() {
            return new LobbyConfig(
                    maxLobbies,
                    LobbyConfig.DEFAULT_MIN_PLAYERS,
                    maxLobbyPlayers,
                    LobbyConfig.DEFAULT_MAX_NAME_CHARS,
                    lobbyCreatesPerMinutePerUser,
                    lobbyCreatesPerMinutePerIp,
                    joinCodeFailuresPerMinute,
                    abandonedLobbyHoldMs);
        }
    }

    static final class Matches {
        @Option(
                names = "--tick-threads",
                defaultValue = "${env:TICKROOM_TICK_THREADS:-" + MatchConfig.TICK_THREADS_PER_CORE + "}",
                description = "Tick threads; " + MatchConfig.TICK_THREADS_PER_CORE + " = one per core, at most "
                        + MatchConfig.MAX_TICK_THREADS + " (${DEFAULT-VALUE}).")
        int tickThreads;

        @Option(
                names = "--max-catch-up-ticks",
                defaultValue = "${env:TICKROOM_MAX_CATCH_UP_TICKS:-" + MatchConfig.DEFAULT_MAX_CATCH_UP_TICKS + "}",
                description = "Ticks a late match runs back to back before skipping (${DEFAULT-VALUE}).")
        int maxCatchUpTicks;

        @Option(
                names = "--max-matches",
                defaultValue = "${env:TICKROOM_MAX_MATCHES:-" + MatchConfig.DEFAULT_MAX_MATCHES + "}",
                description = "Matches per node (${DEFAULT-VALUE}).")
        int maxMatches;

        @Option(
                names = "--max-queued-per-mode",
                defaultValue = "${env:TICKROOM_MAX_QUEUED_PER_MODE:-" + MatchConfig.DEFAULT_MAX_QUEUED_PER_MODE + "}",
                description = "Quick-match queue length per mode (${DEFAULT-VALUE}).")
        int maxQueuedPerMode;

        @Option(
                names = "--games",
                defaultValue = "${env:TICKROOM_GAMES:-}",
                description =
                        "A game plugin jar, or a folder of jars, whose GameModeProviders this node serves beside arena (empty: arena only).")
        String games;
    }

    static final class Cluster {
        @Option(
                names = "--redis",
                paramLabel = "URL",
                defaultValue = "${env:TICKROOM_REDIS:-" + ClusterConfig.SINGLE_NODE + "}",
                description =
                        "redis://host:port (one Redis) or redis-cluster://host:port[,host:port...] (a Redis Cluster's seeds): share lobbies, the bus and the registry with other nodes (empty: single node).")
        String redis;

        @Option(
                names = "--node-id",
                paramLabel = "ID",
                defaultValue = "${env:TICKROOM_NODE_ID:-}",
                description =
                        "Node id, unique in the cluster (default: the host name, '-' and 6 random characters, new at every start).")
        String nodeId;

        @Option(
                names = "--redis-prefix",
                paramLabel = "PREFIX",
                defaultValue = "${env:TICKROOM_REDIS_PREFIX:-" + ClusterConfig.DEFAULT_KEY_PREFIX + "}",
                description = "Redis key prefix (${DEFAULT-VALUE}).")
        String redisPrefix;

        @Option(
                names = "--redis-timeout-ms",
                defaultValue = "${env:TICKROOM_REDIS_TIMEOUT_MS:-" + ClusterConfig.DEFAULT_REDIS_TIMEOUT_MS + "}",
                description = "Redis call timeout (${DEFAULT-VALUE}).")
        int redisTimeoutMs;

        @Option(
                names = "--node-renew-ms",
                defaultValue = "${env:TICKROOM_NODE_RENEW_MS:-" + ClusterConfig.DEFAULT_RENEW_MS + "}",
                description = "Node registration renewal (${DEFAULT-VALUE}).")
        long nodeRenewMs;

        @Option(
                names = "--node-ttl-ms",
                defaultValue = "${env:TICKROOM_NODE_TTL_MS:-" + ClusterConfig.DEFAULT_NODE_TTL_MS + "}",
                description = "A node silent this long is dead (${DEFAULT-VALUE}).")
        long nodeTtlMs;

        ClusterConfig toConfig() {
            return new ClusterConfig(redis, redisPrefix, redisTimeoutMs, nodeRenewMs, nodeTtlMs);
        }
    }

    static final class Operations {
        @Option(
                names = "--config",
                paramLabel = "FILE",
                description =
                        "A properties file of settings (key = option name without --); options and TICKROOM_* win over it.")
        java.nio.file.Path configFile;

        @Option(
                names = "--admin-port",
                paramLabel = "PORT",
                defaultValue = "${env:TICKROOM_ADMIN_PORT:-" + NetConfig.DEFAULT_ADMIN_PORT + "}",
                description = "Serve /metrics and the console (and /health, /ws/admin) on this port instead of --port "
                        + "(" + NetConfig.ADMIN_PORT_OFF + ": off, " + "0: a free one).")
        int adminPort;

        @Option(
                names = "--admin-host",
                paramLabel = "HOST",
                defaultValue = "${env:TICKROOM_ADMIN_HOST:-}",
                description = "Interface of the --admin-port listener (default: --host).")
        String adminHost;

        @Option(
                names = "--web",
                paramLabel = "on|off",
                defaultValue = "${env:TICKROOM_WEB:-" + (NetConfig.DEFAULT_WEB ? "on" : "off") + "}",
                description = "on|off: serve the demo page (/) and the operator console (/console) (${DEFAULT-VALUE}).")
        String web;

        @Option(
                names = "--shutdown-grace-ms",
                defaultValue = "${env:TICKROOM_SHUTDOWN_GRACE_MS:-" + NetConfig.DEFAULT_SHUTDOWN_GRACE_MS + "}",
                description = "Time sessions get after goodbye (${DEFAULT-VALUE}).")
        long shutdownGraceMs;

        @Option(
                names = "--drain-match-limit-ms",
                defaultValue = "${env:TICKROOM_DRAIN_MATCH_LIMIT_MS:-" + MatchConfig.DEFAULT_DRAIN_MATCH_LIMIT_MS + "}",
                description = "On SIGTERM or an admin drain, how long running matches may finish (${DEFAULT-VALUE}).")
        long drainMatchLimitMs;
    }

    ServerConfig toConfig() {
        Network n = network;
        Operations o = operations;
        NetConfig net = new NetConfig(
                n.host,
                n.port,
                n.advertiseUrl,
                n.allowedOrigins == null
                        ? List.of()
                        : n.allowedOrigins.stream().filter(s -> !s.isBlank()).toList(),
                n.maxFrameBytes,
                n.idleTimeoutMs,
                n.pingIntervalMs,
                n.outboundQueueFrames,
                n.maxInFlightFrames,
                n.writeTimeoutMs,
                o.shutdownGraceMs,
                n.permessageDeflate,
                n.tlsKeystore,
                n.tlsPassword,
                onOff("--web", o.web),
                o.adminHost,
                o.adminPort,
                n.outboundQueueBytes,
                n.requestHeadTimeoutMs,
                n.maxConnections);
        Matches m = matches;
        MatchConfig match = new MatchConfig(
                m.tickThreads == MatchConfig.TICK_THREADS_PER_CORE ? MatchConfig.defaultThreads() : m.tickThreads,
                m.maxCatchUpTicks,
                m.maxMatches,
                m.maxQueuedPerMode,
                o.drainMatchLimitMs);
        // the default node id is decided in config.NodeIds
        String id = cluster.nodeId == null || cluster.nodeId.isBlank() ? NodeIds.unique() : cluster.nodeId;
        return new ServerConfig(
                id,
                auth.jwtSecret,
                net,
                limits.toConfig(),
                lobbies.toConfig(),
                match,
                cluster.toConfig(),
                sessions.toConfig(limits),
                auth.toPolicy());
    }

    private static boolean onOff(String flag, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(Locale.ROOT);
        ConfigException.require(
                v.equals("on") || v.equals("off") || v.equals("true") || v.equals("false"),
                flag,
                "must be on or off, was '" + value + "'");
        return v.equals("on") || v.equals("true");
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        GameModes modes;
        try {
            config = toConfig();
            modes = gameModes();
        } catch (ConfigException e) {
            System.err.println("tickroom: bad configuration: " + e.getMessage());
            return BAD_CONFIG;
        }
        TickroomServer server;
        try {
            server = TickroomServer.builder().config(config).modes(gameModes()).start();
        } catch (ConfigException e) {
            System.err.println("tickroom: cannot start: " + e.getMessage());
            return BAD_CONFIG;
        } catch (NodeIdHeldException e) {
            System.err.println(
                    "tickroom: " + e.getMessage() + "; give each node its own --node-id (or TICKROOM_NODE_ID)");
            return BAD_CONFIG;
        }
        TickroomNode node = server.node();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                // SIGTERM drains: sessions are sent to another node (clustered) and resume there,
                                // running matches get --drain-match-limit-ms to finish, then the node stops
                                server.drainAndStop();
                            } catch (Exception e) {
                                System.err.println("tickroom: error while stopping: " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "tickroom-shutdown"));
        System.out.println("tickroom: node " + config.nodeId() + " serving " + node.playUrl()
                + " (health: http://127.0.0.1:" + node.port() + "/health)");
        String scheme = config.net().tls() ? "https" : "http";
        int opsPort = node.adminPort() == NetConfig.ADMIN_PORT_OFF ? node.port() : node.adminPort();
        if (node.adminPort() != NetConfig.ADMIN_PORT_OFF) {
            System.out.println(
                    "tickroom: operator endpoints (/metrics, /console) on " + scheme + "://127.0.0.1:" + opsPort);
        }
        if (config.net().web()) {
            System.out.println("tickroom: demo page " + scheme + "://127.0.0.1:" + node.port() + "/ , operator console "
                    + scheme + "://127.0.0.1:" + opsPort + "/console"
                    + (io.tickroom.server.net.WebSite.DEV_SECRET.equals(config.jwtSecret())
                            ? " (development secret: POST /dev/token mints tokens for anyone)"
                            : ""));
        }
        stopped.await();
        return 0;
    }

    /** The modes of every provider on the class path and in {@code --games}; ConfigException naming the jars. */
    GameModes gameModes() {
        return GameModes.discover(GameJars.open(matches.games, ServerMain.class.getClassLoader()));
    }

    /** Mints a token for local trials with the node's secret. */
    @Command(name = "token", mixinStandardHelpOptions = true, description = "Print a signed token for local trials.")
    static final class TokenCommand implements Callable<Integer> {
        @Option(
                names = "--secret",
                defaultValue = "${env:TICKROOM_JWT_SECRET}",
                description = "HS256 secret (env TICKROOM_JWT_SECRET).")
        String secret;

        @Option(names = "--user", required = true, description = "User id (sub claim).")
        String user;

        @Option(names = "--name", description = "Display name (defaults to the user id).")
        String name;

        @Option(names = "--roles", split = ",", description = "Roles, e.g. admin.")
        List<String> roles = List.of();

        @Option(names = "--rating", description = "Optional rating claim for quick match.")
        Integer rating;

        @Option(names = "--ttl", defaultValue = "PT1H", description = "Lifetime, ISO-8601 (${DEFAULT-VALUE}).")
        Duration ttl;

        @Override
        public Integer call() {
            if (secret == null || secret.length() < 32) {
                System.err.println("tickroom token: --secret or TICKROOM_JWT_SECRET (at least 32 bytes) is required");
                return 2;
            }
            System.out.println(Tokens.mint(
                    secret,
                    user,
                    name == null ? user : name,
                    roles,
                    Instant.now().plus(ttl),
                    rating));
            return 0;
        }
    }

    /** {@code --version}: this build's version. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tickroom " + Version.NUMBER};
        }
    }

    public static void main(String[] args) {
        int code = run(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Parses {@code args} and runs the command; the exit status (a started node returns once it stopped). */
    static int run(String[] args) {
        CommandLine cli = commandLine();
        try {
            java.util.Properties file = configFile(args);
            if (file != null) {
                cli.setDefaultValueProvider(new FileDefaults(file, cli));
            }
        } catch (ConfigException e) {
            System.err.println("tickroom: bad configuration: " + e.getMessage());
            return BAD_CONFIG;
        }
        return cli.execute(args);
    }

    /**
     * The command line with the grouped help and one-line errors: a flag picocli cannot parse is
     * one line naming it (the subcommands keep picocli's usage message).
     */
    static CommandLine commandLine() {
        // a flag given twice takes its last value (scripts put defaults first, the user's flags after)
        CommandLine cli = new CommandLine(new ServerMain()).setOverwrittenOptionsAllowed(true);
        CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> {
            if (e.getCommandLine() != cli) {
                return usage.handleParseException(e, args);
            }
            cli.getErr().println("tickroom: bad configuration: " + e.getMessage() + " (see --help)");
            return BAD_CONFIG;
        });
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, ServerHelp::options);
        return cli;
    }

    /**
     * The file named by {@code --config FILE}, {@code --config=FILE} or {@code TICKROOM_CONFIG}, read;
     * null when none. A file that cannot be read is a {@link ConfigException} naming {@code --config}.
     */
    static java.util.Properties configFile(String[] args) {
        String path = System.getenv("TICKROOM_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        if (path == null || path.isBlank()) {
            return null;
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of(path))) {
            p.load(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ConfigException("--config: no such file " + path);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new ConfigException("--config: cannot read " + path + " (" + e.getMessage() + ")");
        }
        return p;
    }

    /** The option's environment variable: {@code --foo-bar} reads {@code TICKROOM_FOO_BAR}. */
    static String envName(CommandLine.Model.OptionSpec o) {
        return "TICKROOM_" + fileKey(o).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * Whether {@code o} is one of the {@link #SECTIONS}' options (settable by flag, environment and
     * file), not one of the command's own (--help, --version, --config).
     */
    static boolean settable(CommandLine.Model.OptionSpec o) {
        for (Map.Entry<String, String> section : SECTIONS) {
            CommandLine.Model.CommandSpec mixin = o.command().mixins().get(section.getKey());
            if (mixin != null && mixin.options().contains(o)) {
                return true;
            }
        }
        return false;
    }

    /** The option's key in the configuration file: its name without the dashes. */
    static String fileKey(CommandLine.Model.OptionSpec o) {
        return o.longestName().replaceFirst("^--", "");
    }

    /** Settings from the configuration file, below flags and the environment. */
    static final class FileDefaults implements CommandLine.IDefaultValueProvider {
        private final java.util.Properties file;

        FileDefaults(java.util.Properties file, CommandLine cli) {
            this.file = file;
            java.util.Set<String> known = new java.util.HashSet<>();
            for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
                known.add(fileKey(o));
            }
            List<String> unknown = file.stringPropertyNames().stream()
                    .filter(k -> !known.contains(k))
                    .sorted()
                    .toList();
            if (!unknown.isEmpty()) {
                throw new ConfigException(
                        "--config: unknown settings " + unknown + " (keys are option names without --)");
            }
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
                return null;
            }
            if (System.getenv(envName(o)) != null) {
                return null; // the environment wins: the option's own default reads it
            }
            return file.getProperty(fileKey(o));
        }
    }
}
