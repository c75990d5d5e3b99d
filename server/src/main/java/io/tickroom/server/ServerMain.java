package io.tickroom.server;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a node: {@code java -jar tickroom-server.jar [flags]}. Every flag also reads an
 * environment variable ({@code TICKROOM_*}) and, if a configuration file is given
 * ({@code --config FILE} or {@code TICKROOM_CONFIG}), its key of the same name without the dashes
 * ({@code max-matches=5000}). Precedence: flag, then environment, then file, then the built-in
 * default. Unknown keys in the file are an error. Exit status 2 on bad configuration, and when
 * another live node holds this node's id.
 */
@Command(name = "tickroom-server", mixinStandardHelpOptions = true, version = "tickroom 0.1.0",
        description = "Tickroom game lobby server node.", subcommands = {ServerMain.TokenCommand.class, io.tickroom.server.admin.AdminCli.class},
        sortOptions = false)
public final class ServerMain implements Callable<Integer> {

    @Option(names = "--config", description = "A properties file of settings (key = flag name without --); flags and TICKROOM_* win over it.")
    java.nio.file.Path configFile;

    @Option(names = "--host", defaultValue = "${env:TICKROOM_HOST:-0.0.0.0}", description = "Interface to bind (${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:TICKROOM_PORT:-8080}", description = "Port (${DEFAULT-VALUE}); 0 picks a free one.")
    int port;

    @Option(names = "--node-id", defaultValue = "${env:TICKROOM_NODE_ID:-}",
            description = "Node id, unique in the cluster (default: the host name, '-' and 6 random characters, new at every start).")
    String nodeId;

    @Option(names = "--jwt-secret", defaultValue = "${env:TICKROOM_JWT_SECRET}",
            description = "HS256 secret, at least 32 bytes (env TICKROOM_JWT_SECRET).")
    String jwtSecret;

    @Option(names = "--advertise-url", defaultValue = "${env:TICKROOM_ADVERTISE_URL:-}",
            description = "WebSocket URL clients use to reach this node's /ws/play.")
    String advertiseUrl;

    @Option(names = "--allowed-origins", split = ",", defaultValue = "${env:TICKROOM_ALLOWED_ORIGINS:-}",
            description = "Comma-separated browser origins allowed to connect; empty allows all.")
    List<String> allowedOrigins;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:TICKROOM_MAX_FRAME_BYTES:-65536}", description = "Largest inbound frame (${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--idle-timeout-ms", defaultValue = "${env:TICKROOM_IDLE_TIMEOUT_MS:-30000}", description = "Close a silent peer after (${DEFAULT-VALUE}).")
    long idleTimeoutMs;

    @Option(names = "--ping-interval-ms", defaultValue = "${env:TICKROOM_PING_INTERVAL_MS:-10000}", description = "Server ping period (${DEFAULT-VALUE}).")
    long pingIntervalMs;

    @Option(names = "--outbound-queue-frames", defaultValue = "${env:TICKROOM_OUTBOUND_QUEUE_FRAMES:-1024}", description = "Frames queued per session before 'slow consumer' (${DEFAULT-VALUE}).")
    int outboundQueueFrames;

    @Option(names = "--outbound-queue-bytes", defaultValue = "${env:TICKROOM_OUTBOUND_QUEUE_BYTES:-1048576}", description = "Bytes queued and in flight per session before 'slow consumer' (${DEFAULT-VALUE}).")
    long outboundQueueBytes;

    @Option(names = "--request-head-timeout-ms", defaultValue = "${env:TICKROOM_REQUEST_HEAD_TIMEOUT_MS:-10000}", description = "A connection's request head must arrive whole within this long, or it is closed (${DEFAULT-VALUE}).")
    long requestHeadTimeoutMs;

    @Option(names = "--max-connections", defaultValue = "${env:TICKROOM_MAX_CONNECTIONS:-10000}", description = "TCP connections held at once, counted from accept; past it new ones wait in the backlog (${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-in-flight-frames", defaultValue = "${env:TICKROOM_MAX_IN_FLIGHT_FRAMES:-8}", description = "Frames handed to Jetty per session at once (${DEFAULT-VALUE}).")
    int maxInFlightFrames;

    @Option(names = "--write-timeout-ms", defaultValue = "${env:TICKROOM_WRITE_TIMEOUT_MS:-10000}", description = "Drop a session whose write stalls this long (${DEFAULT-VALUE}).")
    long writeTimeoutMs;

    @Option(names = "--shutdown-grace-ms", defaultValue = "${env:TICKROOM_SHUTDOWN_GRACE_MS:-2000}", description = "Time sessions get after goodbye (${DEFAULT-VALUE}).")
    long shutdownGraceMs;

    @Option(names = "--permessage-deflate", defaultValue = "${env:TICKROOM_PERMESSAGE_DEFLATE:-false}", description = "Accept permessage-deflate (${DEFAULT-VALUE}).")
    boolean permessageDeflate;

    @Option(names = "--requests-per-second", defaultValue = "${env:TICKROOM_REQUESTS_PER_SECOND:-50}", description = "Sustained requests per session (${DEFAULT-VALUE}).")
    int requestsPerSecond;

    @Option(names = "--request-burst", defaultValue = "${env:TICKROOM_REQUEST_BURST:-100}", description = "Request burst per session (${DEFAULT-VALUE}).")
    int requestBurst;

    @Option(names = "--flood-close-after", defaultValue = "${env:TICKROOM_FLOOD_CLOSE_AFTER:-200}", description = "Rate-limited requests within ~10 s before close 1008 (${DEFAULT-VALUE}).")
    int floodCloseAfter;

    @Option(names = "--chat-per-second", defaultValue = "${env:TICKROOM_CHAT_PER_SECOND:-5}", description = "Chat lines per session per second (${DEFAULT-VALUE}).")
    int chatPerSecond;

    @Option(names = "--chat-burst", defaultValue = "${env:TICKROOM_CHAT_BURST:-10}", description = "Chat burst (${DEFAULT-VALUE}).")
    int chatBurst;

    @Option(names = "--max-chat-chars", defaultValue = "${env:TICKROOM_MAX_CHAT_CHARS:-500}", description = "Longest chat line (${DEFAULT-VALUE}).")
    int maxChatChars;

    @Option(names = "--max-invalid-frames", defaultValue = "${env:TICKROOM_MAX_INVALID_FRAMES:-5}", description = "Undecodable frames before close 1008 (${DEFAULT-VALUE}).")
    int maxInvalidFrames;

    @Option(names = "--pings-per-second", defaultValue = "${env:TICKROOM_PINGS_PER_SECOND:-5}", description = "Client pings answered per connection per second; faster ones cost strikes (${DEFAULT-VALUE}).")
    int pingsPerSecond;

    @Option(names = "--ping-burst", defaultValue = "${env:TICKROOM_PING_BURST:-20}", description = "Client pings answered at once (${DEFAULT-VALUE}).")
    int pingBurst;

    @Option(names = "--max-lobbies", defaultValue = "${env:TICKROOM_MAX_LOBBIES:-10000}", description = "Lobbies held at once (${DEFAULT-VALUE}).")
    int maxLobbies;

    @Option(names = "--lobby-creates-per-minute-per-user", defaultValue = "${env:TICKROOM_LOBBY_CREATES_PER_MINUTE_PER_USER:-10}", description = "Lobbies one user may create per minute (${DEFAULT-VALUE}).")
    int lobbyCreatesPerMinutePerUser;

    @Option(names = "--lobby-creates-per-minute-per-ip", defaultValue = "${env:TICKROOM_LOBBY_CREATES_PER_MINUTE_PER_IP:-60}", description = "Lobbies the users of one client address may create per minute (${DEFAULT-VALUE}).")
    int lobbyCreatesPerMinutePerIp;

    @Option(names = "--join-code-failures-per-minute", defaultValue = "${env:TICKROOM_JOIN_CODE_FAILURES_PER_MINUTE:-10}", description = "Wrong join codes one user may try per minute; then every join by code is refused until it refills (${DEFAULT-VALUE}).")
    int joinCodeFailuresPerMinute;

    @Option(names = "--abandoned-lobby-hold-ms", defaultValue = "${env:TICKROOM_ABANDONED_LOBBY_HOLD_MS:-15000}", description = "How long a lobby whose every member dropped counts against --max-lobbies; past it a create at the cap releases it (${DEFAULT-VALUE}).")
    long abandonedLobbyHoldMs;

    @Option(names = "--max-lobby-players", defaultValue = "${env:TICKROOM_MAX_LOBBY_PLAYERS:-64}", description = "Largest lobby, up to 1024 (${DEFAULT-VALUE}).")
    int maxLobbyPlayers;

    @Option(names = "--redis", defaultValue = "${env:TICKROOM_REDIS:-}",
            description = "redis://host:port switches the node to the shared Redis directory and bus; empty: single node.")
    String redis;

    @Option(names = "--redis-prefix", defaultValue = "${env:TICKROOM_REDIS_PREFIX:-tr:}", description = "Redis key prefix (${DEFAULT-VALUE}).")
    String redisPrefix;

    @Option(names = "--redis-timeout-ms", defaultValue = "${env:TICKROOM_REDIS_TIMEOUT_MS:-500}", description = "Redis call timeout (${DEFAULT-VALUE}).")
    int redisTimeoutMs;

    @Option(names = "--node-renew-ms", defaultValue = "${env:TICKROOM_NODE_RENEW_MS:-1000}", description = "Node registration renewal (${DEFAULT-VALUE}).")
    long nodeRenewMs;

    @Option(names = "--node-ttl-ms", defaultValue = "${env:TICKROOM_NODE_TTL_MS:-5000}", description = "A node silent this long is dead (${DEFAULT-VALUE}).")
    long nodeTtlMs;

    @Option(names = "--tick-threads", defaultValue = "${env:TICKROOM_TICK_THREADS:-0}", description = "Tick threads; 0 = one per core, at most 8 (${DEFAULT-VALUE}).")
    int tickThreads;

    @Option(names = "--max-catch-up-ticks", defaultValue = "${env:TICKROOM_MAX_CATCH_UP_TICKS:-3}", description = "Ticks a late match runs back to back before skipping (${DEFAULT-VALUE}).")
    int maxCatchUpTicks;

    @Option(names = "--max-matches", defaultValue = "${env:TICKROOM_MAX_MATCHES:-10000}", description = "Matches per node (${DEFAULT-VALUE}).")
    int maxMatches;

    @Option(names = "--max-queued-per-mode", defaultValue = "${env:TICKROOM_MAX_QUEUED_PER_MODE:-10000}", description = "Quick-match queue length per mode (${DEFAULT-VALUE}).")
    int maxQueuedPerMode;

    @Option(names = "--drain-match-limit-ms", defaultValue = "${env:TICKROOM_DRAIN_MATCH_LIMIT_MS:-120000}", description = "On SIGTERM or an admin drain, how long running matches may finish before the node stops anyway (${DEFAULT-VALUE}).")
    long drainMatchLimitMs;

    @Option(names = "--tls-keystore", defaultValue = "${env:TICKROOM_TLS_KEYSTORE:-}", description = "PKCS12 keystore with the server key and certificate: serve wss:// (empty: plain ws://).")
    String tlsKeystore;

    @Option(names = "--tls-password", defaultValue = "${env:TICKROOM_TLS_PASSWORD:-}", description = "The keystore's password (prefer the environment).")
    String tlsPassword;

    @Option(names = "--resume-grace-ms", defaultValue = "${env:TICKROOM_RESUME_GRACE_MS:-120000}", description = "How long a dropped session can be resumed on any node, its lobby seat held (${DEFAULT-VALUE}; 0: off).")
    long resumeGraceMs;

    @Option(names = "--replay-depth", defaultValue = "${env:TICKROOM_REPLAY_DEPTH:-256}", description = "Reliable pushes kept per stream for resume (${DEFAULT-VALUE}).")
    int replayDepth;

    @Option(names = "--answer-window", defaultValue = "${env:TICKROOM_ANSWER_WINDOW:-64}", description = "Recent answers kept per session for retried requests (${DEFAULT-VALUE}).")
    int answerWindow;

    @Option(names = "--resume-hold-ms", defaultValue = "${env:TICKROOM_RESUME_HOLD_MS:-2000}", description = "How long a resuming connection's pushes wait for its resume request (${DEFAULT-VALUE}).")
    long resumeHoldMs;

    @Option(names = "--resume-store-bytes", defaultValue = "${env:TICKROOM_RESUME_STORE_BYTES:-67108864}", description = "Single node: bytes the dropped sessions' resume records hold together; oldest dropped past it (${DEFAULT-VALUE}).")
    long resumeStoreBytes;

    @Option(names = "--resume-record-bytes", defaultValue = "${env:TICKROOM_RESUME_RECORD_BYTES:-16384}", description = "Bytes of recent answers a session keeps for retries; an answer over a quarter of it is not kept (${DEFAULT-VALUE}).")
    long resumeRecordBytes;

    @Option(names = "--max-sessions-per-user", defaultValue = "${env:TICKROOM_MAX_SESSIONS_PER_USER:-8}", description = "Sessions of one user per node; more get HTTP 429 (${DEFAULT-VALUE}).")
    int maxSessionsPerUser;

    @Option(names = "--max-connections-per-ip", defaultValue = "${env:TICKROOM_MAX_CONNECTIONS_PER_IP:-1000}", description = "Open connections per client address per node; more get HTTP 429 (${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--handshakes-per-second-per-ip", defaultValue = "${env:TICKROOM_HANDSHAKES_PER_SECOND_PER_IP:-50}", description = "Sustained upgrade attempts per client address; more get HTTP 429 (${DEFAULT-VALUE}).")
    int handshakesPerSecondPerIp;

    @Option(names = "--handshake-burst-per-ip", defaultValue = "${env:TICKROOM_HANDSHAKE_BURST_PER_IP:-200}", description = "Upgrade attempts per client address at once (${DEFAULT-VALUE}).")
    int handshakeBurstPerIp;

    @Option(names = "--web", defaultValue = "${env:TICKROOM_WEB:-on}", description = "on|off: serve the demo page (/) and the operator console (/console) (${DEFAULT-VALUE}).")
    String web;

    ServerConfig toConfig() {
        NetConfig net = new NetConfig(host, port, advertiseUrl, allowedOrigins == null ? List.of()
                : allowedOrigins.stream().filter(o -> !o.isBlank()).toList(),
                maxFrameBytes, idleTimeoutMs, pingIntervalMs, outboundQueueFrames, maxInFlightFrames, writeTimeoutMs,
                shutdownGraceMs, permessageDeflate, tlsKeystore, tlsPassword);
        net = net.withWeb(onOff("--web", web)).withOutboundQueueBytes(outboundQueueBytes)
                .withRequestHeadTimeoutMs(requestHeadTimeoutMs).withMaxConnections(maxConnections);
        LimitsConfig limits = new LimitsConfig(requestsPerSecond, requestBurst, floodCloseAfter, chatPerSecond, chatBurst,
                maxChatChars, maxInvalidFrames, pingsPerSecond, pingBurst);
        LobbyConfig d = LobbyConfig.defaults();
        LobbyConfig lobby = new LobbyConfig(maxLobbies, d.minPlayers(), maxLobbyPlayers, d.maxNameChars(),
                lobbyCreatesPerMinutePerUser, lobbyCreatesPerMinutePerIp, joinCodeFailuresPerMinute, abandonedLobbyHoldMs);
        MatchConfig match = new MatchConfig(tickThreads == 0 ? MatchConfig.defaultThreads() : tickThreads,
                maxCatchUpTicks, maxMatches, maxQueuedPerMode, drainMatchLimitMs);
        // the default node id is decided in config.NodeIds
        return new ServerConfig(nodeId == null || nodeId.isBlank() ? NodeIds.unique() : nodeId, jwtSecret, net, limits, lobby, match,
                new ClusterConfig(redis, redisPrefix, redisTimeoutMs, nodeRenewMs, nodeTtlMs),
                new SessionConfig(resumeGraceMs, replayDepth, answerWindow, resumeHoldMs, maxSessionsPerUser,
                        maxConnectionsPerIp, handshakesPerSecondPerIp, handshakeBurstPerIp,
                        SessionConfig.defaults().maxTrackedAddresses(), resumeStoreBytes, resumeRecordBytes));
    }

    private static boolean onOff(String flag, String value) {
        String v = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
        ConfigException.require(v.equals("on") || v.equals("off") || v.equals("true") || v.equals("false"), flag,
                "must be on or off, was '" + value + "'");
        return v.equals("on") || v.equals("true");
    }

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = toConfig();
        } catch (ConfigException e) {
            System.err.println("tickroom: bad configuration: " + e.getMessage());
            return 2;
        }
        TickroomNode node = new TickroomNode(config);
        try {
            node.start();
        } catch (NodeIdHeldException e) {
            System.err.println("tickroom: " + e.getMessage() + "; give each node its own --node-id (or TICKROOM_NODE_ID)");
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                // SIGTERM drains: sessions are sent to another node (clustered) and resume there,
                // running matches get --drain-match-limit-ms to finish, then the node stops
                node.drainAndStop(config.match().drainMatchLimitMs());
            } catch (Exception e) {
                System.err.println("tickroom: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }, "tickroom-shutdown"));
        System.out.println("tickroom: node " + config.nodeId() + " serving " + node.playUrl()
                + " (health: http://127.0.0.1:" + node.port() + "/health)");
        if (config.net().web()) {
            String http = (config.net().tls() ? "https" : "http") + "://127.0.0.1:" + node.port();
            System.out.println("tickroom: demo page " + http + "/ , operator console " + http + "/console"
                    + (io.tickroom.server.net.WebSite.DEV_SECRET.equals(config.jwtSecret())
                            ? " (development secret: POST /dev/token mints tokens for anyone)" : ""));
        }
        stopped.await();
        return 0;
    }

    /** Mints a token for local trials with the node's secret. */
    @Command(name = "token", mixinStandardHelpOptions = true, description = "Print a signed token for local trials.")
    static final class TokenCommand implements Callable<Integer> {
        @Option(names = "--secret", defaultValue = "${env:TICKROOM_JWT_SECRET}", description = "HS256 secret (env TICKROOM_JWT_SECRET).")
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
            System.out.println(Tokens.mint(secret, user, name == null ? user : name, roles, Instant.now().plus(ttl), rating));
            return 0;
        }
    }

    public static void main(String[] args) {
        // a flag given twice takes its last value (scripts put defaults first, the user's flags after)
        CommandLine cli = new CommandLine(new ServerMain()).setOverwrittenOptionsAllowed(true);
        try {
            java.util.Properties file = configFile(args);
            if (file != null) {
                cli.setDefaultValueProvider(new FileDefaults(file, cli));
            }
        } catch (ConfigException | java.io.IOException e) {
            System.err.println("tickroom: " + e.getMessage());
            System.exit(2);
        }
        int code = cli.execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** The file named by {@code --config FILE}, {@code --config=FILE} or {@code TICKROOM_CONFIG}, read; null when none. */
    static java.util.Properties configFile(String[] args) throws java.io.IOException {
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
        }
        return p;
    }

    /** Settings from the configuration file, below flags and the environment. */
    static final class FileDefaults implements CommandLine.IDefaultValueProvider {
        private final java.util.Properties file;

        FileDefaults(java.util.Properties file, CommandLine cli) {
            this.file = file;
            java.util.Set<String> known = new java.util.HashSet<>();
            for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
                known.add(o.longestName().replaceFirst("^--", ""));
            }
            java.util.List<String> unknown = file.stringPropertyNames().stream().filter(k -> !known.contains(k)).sorted().toList();
            if (!unknown.isEmpty()) {
                throw new ConfigException("--config: unknown settings " + unknown + " (keys are flag names without --)");
            }
        }

        @Override
        public String defaultValue(CommandLine.Model.ArgSpec arg) {
            if (!(arg instanceof CommandLine.Model.OptionSpec o)) {
                return null;
            }
            String key = o.longestName().replaceFirst("^--", "");
            if (System.getenv("TICKROOM_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_')) != null) {
                return null; // the environment wins: the option's own default reads it
            }
            return file.getProperty(key);
        }
    }
}
