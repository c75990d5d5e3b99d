package io.tickroom.server.config;

import java.util.List;

/**
 * The listener and the WebSocket transport.
 *
 * @param host              interface to bind
 * @param port              TCP port; 0 picks a free one (tests)
 * @param advertiseUrl      the WebSocket URL other nodes and clients use to reach this node's
 *                          {@code /ws/play}; empty means {@code ws://host:port/ws/play}
 * @param allowedOrigins    browser origins allowed to connect; empty allows any origin (and
 *                          requests without an Origin header, i.e. non-browser clients, are
 *                          always allowed)
 * @param maxFrameBytes     largest binary message accepted; bigger closes the session with 1009
 * @param idleTimeoutMs     a session that sends nothing (not even a pong) for this long is closed
 * @param pingIntervalMs    the server pings every session this often, so live peers answer
 * @param outboundQueueFrames reliable frames queued per session before it is closed as a
 *                          slow consumer (policy: close session, 1008 "slow consumer")
 * @param maxInFlightFrames frames handed to the connection's writer per session at once (one gathering write)
 * @param writeTimeoutMs    a frame that has not been written after this long closes the session
 * @param shutdownGraceMs   on stop, how long sessions get to read their goodbye before the
 *                          listener is torn down
 * @param permessageDeflate accept permessage-deflate when a client offers it (off: it would
 *                          compress every broadcast once per recipient)
 * @param tlsKeystore       a PKCS12 keystore with the server's key and certificate: the listener
 *                          speaks TLS ({@code wss://}, {@code https://}); empty: plain
 * @param tlsPassword       the keystore's password
 * @param web               serve the demo page ({@code /}), the operator console ({@code /console})
 *                          and their assets; off: both pages and their endpoints answer 404
 * @param adminHost         interface of the operator listener; empty: the same as {@code host}
 * @param adminPort         a separate operator listener ({@code /metrics}, the console and its
 *                          API, {@code /health}, {@code /ws/admin}): those operator endpoints then
 *                          leave the public listener (which keeps {@code /health} and
 *                          {@code /ws/admin}); {@link #ADMIN_PORT_OFF}: none, everything on
 *                          {@code port}; 0 picks a free one (tests)
 * @param outboundQueueBytes bytes queued and in flight per session before it is closed as a slow
 *                          consumer (policy: close session, 1008 "slow consumer"), whichever of
 *                          this and {@code outboundQueueFrames} is passed first
 * @param requestHeadTimeoutMs a connection must deliver a complete request head within this long
 *                          of being accepted (or of its previous response), or it is closed: a
 *                          client trickling its headers (slowloris) holds a socket at most this long
 * @param maxConnections    TCP connections this node holds at once, of any kind and in any state
 *                          (counted from accept); past it the listener stops accepting until one
 *                          closes (policy: new connections wait in the kernel's backlog)
 */
public record NetConfig(
        String host,
        int port,
        String advertiseUrl,
        List<String> allowedOrigins,
        int maxFrameBytes,
        long idleTimeoutMs,
        long pingIntervalMs,
        int outboundQueueFrames,
        int maxInFlightFrames,
        long writeTimeoutMs,
        long shutdownGraceMs,
        boolean permessageDeflate,
        String tlsKeystore,
        String tlsPassword,
        boolean web,
        String adminHost,
        int adminPort,
        long outboundQueueBytes,
        long requestHeadTimeoutMs,
        int maxConnections) {

    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024;
    public static final long DEFAULT_IDLE_TIMEOUT_MS = 30_000;
    public static final long DEFAULT_PING_INTERVAL_MS = 10_000;
    public static final int DEFAULT_OUTBOUND_QUEUE_FRAMES = 1024;
    public static final int DEFAULT_MAX_IN_FLIGHT_FRAMES = 8;
    public static final long DEFAULT_WRITE_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_SHUTDOWN_GRACE_MS = 2_000;
    public static final boolean DEFAULT_PERMESSAGE_DEFLATE = false;
    public static final boolean DEFAULT_WEB = true;
    /** No separate operator listener: the operator endpoints are served on the public port. */
    public static final int ADMIN_PORT_OFF = -1;

    public static final int DEFAULT_ADMIN_PORT = ADMIN_PORT_OFF;
    public static final long DEFAULT_OUTBOUND_QUEUE_BYTES = 1 << 20;
    public static final long DEFAULT_REQUEST_HEAD_TIMEOUT_MS = 10_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    public NetConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        ConfigException.require(host != null && !host.isBlank(), "--host", "must not be empty");
        ConfigException.require(port >= 0 && port <= 65535, "--port", "must be 0..65535, was " + port);
        ConfigException.require(
                maxFrameBytes >= 1024 && maxFrameBytes <= 16 << 20,
                "--max-frame-bytes",
                "must be 1 KiB..16 MiB, was " + maxFrameBytes);
        ConfigException.require(idleTimeoutMs >= 1000, "--idle-timeout-ms", "must be >= 1000, was " + idleTimeoutMs);
        ConfigException.require(
                pingIntervalMs >= 100 && pingIntervalMs < idleTimeoutMs,
                "--ping-interval-ms",
                "must be >= 100 and below --idle-timeout-ms, was " + pingIntervalMs);
        ConfigException.require(
                outboundQueueFrames >= 8, "--outbound-queue-frames", "must be >= 8, was " + outboundQueueFrames);
        ConfigException.require(
                maxInFlightFrames >= 1 && maxInFlightFrames <= 64,
                "--max-in-flight-frames",
                "must be 1..64, was " + maxInFlightFrames);
        ConfigException.require(writeTimeoutMs >= 100, "--write-timeout-ms", "must be >= 100, was " + writeTimeoutMs);
        ConfigException.require(shutdownGraceMs >= 0, "--shutdown-grace-ms", "must be >= 0");
        advertiseUrl = advertiseUrl == null ? "" : advertiseUrl;
        tlsKeystore = tlsKeystore == null ? "" : tlsKeystore;
        tlsPassword = tlsPassword == null ? "" : tlsPassword;
        ConfigException.require(
                tlsKeystore.isEmpty() || new java.io.File(tlsKeystore).canRead(),
                "--tls-keystore",
                "cannot read " + tlsKeystore);
        adminHost = adminHost == null ? "" : adminHost.strip();
        ConfigException.require(
                adminPort >= ADMIN_PORT_OFF && adminPort <= 65535,
                "--admin-port",
                "must be 0..65535, or " + ADMIN_PORT_OFF + " for none, was " + adminPort);
        ConfigException.require(
                adminPort <= 0 || adminPort != port, "--admin-port", "must differ from --port (" + port + ")");
        ConfigException.require(
                outboundQueueBytes >= 64 * 1024,
                "--outbound-queue-bytes",
                "must be >= 65536, was " + outboundQueueBytes);
        ConfigException.require(
                requestHeadTimeoutMs >= 100 && requestHeadTimeoutMs <= 600_000,
                "--request-head-timeout-ms",
                "must be 100..600000, was " + requestHeadTimeoutMs);
        ConfigException.require(maxConnections >= 1, "--max-connections", "must be >= 1, was " + maxConnections);
    }

    /** Without a separate operator listener, with the default byte budget and request-head deadline. */
    public NetConfig(
            String host,
            int port,
            String advertiseUrl,
            List<String> allowedOrigins,
            int maxFrameBytes,
            long idleTimeoutMs,
            long pingIntervalMs,
            int outboundQueueFrames,
            int maxInFlightFrames,
            long writeTimeoutMs,
            long shutdownGraceMs,
            boolean permessageDeflate,
            String tlsKeystore,
            String tlsPassword,
            boolean web) {
        this(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                "",
                ADMIN_PORT_OFF,
                DEFAULT_OUTBOUND_QUEUE_BYTES,
                DEFAULT_REQUEST_HEAD_TIMEOUT_MS,
                DEFAULT_MAX_CONNECTIONS);
    }

    /** With the web pages on. */
    public NetConfig(
            String host,
            int port,
            String advertiseUrl,
            List<String> allowedOrigins,
            int maxFrameBytes,
            long idleTimeoutMs,
            long pingIntervalMs,
            int outboundQueueFrames,
            int maxInFlightFrames,
            long writeTimeoutMs,
            long shutdownGraceMs,
            boolean permessageDeflate,
            String tlsKeystore,
            String tlsPassword) {
        this(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                DEFAULT_WEB);
    }

    /** Plain (no TLS), with the web pages on. */
    public NetConfig(
            String host,
            int port,
            String advertiseUrl,
            List<String> allowedOrigins,
            int maxFrameBytes,
            long idleTimeoutMs,
            long pingIntervalMs,
            int outboundQueueFrames,
            int maxInFlightFrames,
            long writeTimeoutMs,
            long shutdownGraceMs,
            boolean permessageDeflate) {
        this(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                "",
                "");
    }

    public boolean tls() {
        return !tlsKeystore.isEmpty();
    }

    /** Whether the operator endpoints have a listener of their own. */
    public boolean adminListener() {
        return adminPort != ADMIN_PORT_OFF;
    }

    /** The operator listener's interface. */
    public String adminBindHost() {
        return adminHost.isEmpty() ? host : adminHost;
    }

    public NetConfig withTls(String keystore, String password) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                keystore,
                password,
                web,
                adminHost,
                adminPort,
                outboundQueueBytes,
                requestHeadTimeoutMs,
                maxConnections);
    }

    public NetConfig withWeb(boolean on) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                on,
                adminHost,
                adminPort,
                outboundQueueBytes,
                requestHeadTimeoutMs,
                maxConnections);
    }

    /** With the operator endpoints on a listener of their own at {@code host:port} ({@code host} empty: {@link #host}). */
    public NetConfig withAdminListener(String adminHost, int adminPort) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                adminHost,
                adminPort,
                outboundQueueBytes,
                requestHeadTimeoutMs,
                maxConnections);
    }

    public NetConfig withOutboundQueueBytes(long bytes) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                adminHost,
                adminPort,
                bytes,
                requestHeadTimeoutMs,
                maxConnections);
    }

    public NetConfig withMaxConnections(int n) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                adminHost,
                adminPort,
                outboundQueueBytes,
                requestHeadTimeoutMs,
                n);
    }

    public NetConfig withRequestHeadTimeoutMs(long ms) {
        return new NetConfig(
                host,
                port,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                adminHost,
                adminPort,
                outboundQueueBytes,
                ms,
                maxConnections);
    }

    public static NetConfig defaults() {
        return new NetConfig(
                DEFAULT_HOST,
                DEFAULT_PORT,
                "",
                List.of(),
                DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_IDLE_TIMEOUT_MS,
                DEFAULT_PING_INTERVAL_MS,
                DEFAULT_OUTBOUND_QUEUE_FRAMES,
                DEFAULT_MAX_IN_FLIGHT_FRAMES,
                DEFAULT_WRITE_TIMEOUT_MS,
                DEFAULT_SHUTDOWN_GRACE_MS,
                DEFAULT_PERMESSAGE_DEFLATE,
                "",
                "",
                DEFAULT_WEB,
                "",
                DEFAULT_ADMIN_PORT,
                DEFAULT_OUTBOUND_QUEUE_BYTES,
                DEFAULT_REQUEST_HEAD_TIMEOUT_MS,
                DEFAULT_MAX_CONNECTIONS);
    }

    public NetConfig withPort(int newPort) {
        return new NetConfig(
                host,
                newPort,
                advertiseUrl,
                allowedOrigins,
                maxFrameBytes,
                idleTimeoutMs,
                pingIntervalMs,
                outboundQueueFrames,
                maxInFlightFrames,
                writeTimeoutMs,
                shutdownGraceMs,
                permessageDeflate,
                tlsKeystore,
                tlsPassword,
                web,
                adminHost,
                adminPort,
                outboundQueueBytes,
                requestHeadTimeoutMs,
                maxConnections);
    }
}
