package io.tickroom.server.net;

import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.config.ConfigException;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.thread.NodeThreads;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * The embedded Jetty 12 server: the public listener ({@code --port}) with the {@code /ws/play}
 * and {@code /ws/admin} upgrades each behind their handshake chain, the web pages
 * ({@link WebSite}, unless {@code --web off}), {@code /health} and {@code /metrics} for everything
 * else; with {@code --admin-port}, a second listener for the operator endpoints (see
 * {@link ListenerRules}). Both speak TLS when a keystore is configured. Owns the Jetty life cycle
 * and the housekeeper; constructing it binds nothing, {@link #start} does.
 */
public final class WebSocketServer {
    private final NetConfig config;
    private final Gateway gateway;
    private final NodeThreads threads;
    private final Server server;
    private final ServerConnector connector;
    /** The operator listener; null without {@code --admin-port}. */
    private final ServerConnector adminConnector;

    private final Connections connections;
    private Housekeeper housekeeper;

    public WebSocketServer(
            NetConfig config,
            Gateway gateway,
            Authenticator tokens,
            BooleanSupplier accepting,
            Supplier<String> healthStatus,
            Supplier<String> metrics,
            WebSite site,
            io.micrometer.core.instrument.MeterRegistry meters,
            NodeThreads threads) {
        this.config = config;
        this.gateway = gateway;
        this.threads = threads;
        this.server = new Server(new JettyThreads(threads));
        this.connections = new Connections(gateway.admission(), gateway.time(), config.requestHeadTimeoutMs());
        org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = null;
        if (config.tls()) {
            ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setKeyStorePath(config.tlsKeystore());
            ssl.setKeyStorePassword(config.tlsPassword());
            ssl.setKeyStoreType("PKCS12");
        }
        this.connector = connector(server, ssl, "public", config.host(), config.port());
        this.adminConnector = config.adminListener()
                ? connector(server, ssl, "operator", config.adminBindHost(), config.adminPort())
                : null;
        // every TCP connection counts from accept, whatever it is doing; past the cap the
        // listener stops accepting until one closes (the rest wait in the kernel's backlog)
        server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(config.maxConnections(), connector));
        server.setStopTimeout(Math.max(1000, config.shutdownGraceMs()));

        List<Handshake> chains = List.of(
                new Handshake(
                        Namespace.PLAY,
                        tokens,
                        config.allowedOrigins(),
                        accepting,
                        gateway.admission(),
                        gateway::storeReachable),
                new Handshake(
                        Namespace.ADMIN,
                        tokens,
                        config.allowedOrigins(),
                        accepting,
                        gateway.admission(),
                        gateway::storeReachable));
        // Jetty's core WebSocket: our endpoints are frame handlers on the core session (WsEndpoint)
        WebSocketUpgradeHandler ws =
                new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server));
        Configuration limits = ws.getConfiguration();
        limits.setMaxFrameSize(config.maxFrameBytes());
        limits.setMaxBinaryMessageSize(config.maxFrameBytes());
        limits.setMaxTextMessageSize(config.maxFrameBytes());
        // a frame over the limit is refused (1009), not cut into fragments for us to put together
        limits.setAutoFragment(false);
        // the housekeeper judges liveness from what the peer sends; Jetty's own idle timeout
        // (reset by our pings too) is only a backstop
        limits.setIdleTimeout(Duration.ofMillis(config.idleTimeoutMs() * 3));
        // no limit of Jetty's on outgoing frames: every data frame comes from a session's outbound
        // queue, which keeps at most maxInFlightFrames of them in Jetty (and Jetty's limit would
        // wrap every frame's callback and count it twice, on the hottest path there is)
        for (Handshake chain : chains) {
            ws.addMapping(chain.namespace().path(), negotiator(chain));
        }
        HealthHandler health = new HealthHandler(accepting, healthStatus, metrics);
        ws.setHandler(site == null ? health : site.handler(health));
        server.setHandler(new ListenerRules(adminConnector, new ConnectionGate(connections, gateway.admission(), ws)));
        // Jetty's thread pool and connections (jetty_*): bound here, where Jetty's types may live
        new io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics(
                        server.getThreadPool(), java.util.List.of())
                .bindTo(meters);
        io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics.addToAllConnectors(server, meters);
    }

    private ServerConnector connector(
            Server server,
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl,
            String name,
            String host,
            int port) {
        ServerConnector c;
        if (ssl != null) {
            org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration();
            https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
            // both listeners count connections from accept and cut an unfinished request head
            c = connections.connector(
                    server,
                    new org.eclipse.jetty.server.SslConnectionFactory(
                            ssl, org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString()),
                    new org.eclipse.jetty.server.HttpConnectionFactory(https));
        } else {
            c = connections.connector(server, new org.eclipse.jetty.server.HttpConnectionFactory());
        }
        c.setName(name); // names the jetty_* meters per listener
        c.setHost(host);
        c.setPort(port);
        server.addConnector(c);
        return c;
    }

    /**
     * Jetty's threads, named {@code tickroom-jetty-*}, with the node's uncaught-exception handler;
     * an {@link Error} escaping a Jetty job goes to the fatal-error handler (Jetty would log it and
     * go on). Errors inside a WebSocket callback are Jetty's to contain: it closes that connection 1011.
     */
    private static final class JettyThreads extends QueuedThreadPool {
        private final NodeThreads threads;

        JettyThreads(NodeThreads threads) {
            super(256, 8);
            this.threads = threads;
            setName("tickroom-jetty");
        }

        @Override
        public Thread newThread(Runnable runnable) {
            return threads.adopt(super.newThread(runnable));
        }

        @Override
        protected void runJob(Runnable job) {
            try {
                super.runJob(job);
            } catch (Error e) {
                threads.fatal(e);
                throw e;
            }
        }
    }

    private WebSocketNegotiator negotiator(Handshake chain) {
        return (ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) -> {
            Connections.Tracked tracked =
                    connections.of(req.getConnectionMetaData().getRemoteSocketAddress());
            String remote = tracked != null ? tracked.address : Request.getRemoteAddr(req);
            HandshakeRequest hr = new HandshakeRequest(
                    chain.namespace().path(),
                    req.getHeaders().get(HttpHeader.ORIGIN),
                    req.getHeaders().get(HttpHeader.AUTHORIZATION),
                    HandshakeRequest.queryParameter(req.getHttpURI().getQuery(), "access_token"),
                    remote);
            Handshake.Admitted admitted;
            try {
                admitted = chain.check(hr);
            } catch (HandshakeRejection rejection) {
                reject(resp, callback, rejection);
                return null;
            }
            if (tracked != null) {
                connections.hold(tracked, admitted.slot()); // released if the upgrade never completes
            }
            if (!config.permessageDeflate()) {
                resp.setExtensions(List.of());
            }
            // a client that is about to resume says so, and its pushes wait for its resume request
            boolean resuming =
                    "1".equals(HandshakeRequest.queryParameter(req.getHttpURI().getQuery(), "resume"))
                            || req.getHeaders().get("Tickroom-Resume") != null;
            return new WsEndpoint(
                    gateway,
                    admitted.principal(),
                    chain.namespace(),
                    remote,
                    resuming,
                    admitted.slot(),
                    tracked,
                    config.maxFrameBytes());
        };
    }

    private static void reject(ServerUpgradeResponse resp, Callback callback, HandshakeRejection rejection) {
        resp.setStatus(rejection.status);
        if (rejection.retryAfterSeconds > 0) {
            resp.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(rejection.retryAfterSeconds));
        }
        if (rejection.status == 401) {
            resp.getHeaders()
                    .put(
                            HttpHeader.WWW_AUTHENTICATE,
                            "Bearer realm=\"tickroom\", error=\"invalid_token\", error_description=\""
                                    + rejection.getMessage().replace('"', '\'') + "\"");
        }
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        // a refused upgrade's connection is not kept alive: it would count against its address
        // (connections count from accept) until the client's pool let it go
        resp.getHeaders().put(HttpHeader.CONNECTION, "close");
        resp.write(true, ByteBuffer.wrap((rejection.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    /**
     * Loads the keystore, binds the listeners, starts Jetty and the housekeeper. A keystore that
     * does not load, or a port that cannot be bound, is a {@link ConfigException} naming the
     * setting (the caller stops the server again).
     */
    public void start() throws Exception {
        if (config.tls()) {
            checkKeystore();
        }
        bind(connector, "--port", config.host(), config.port());
        if (adminConnector != null) {
            bind(adminConnector, "--admin-port", config.adminBindHost(), config.adminPort());
        }
        server.start();
        housekeeper = new Housekeeper(
                gateway,
                config.pingIntervalMs(),
                config.idleTimeoutMs(),
                config.writeTimeoutMs(),
                threads.single("housekeeper"));
    }

    private void checkKeystore() {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of(config.tlsKeystore()))) {
            java.security.KeyStore.getInstance("PKCS12")
                    .load(in, config.tlsPassword().toCharArray());
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    ? "wrong --tls-password"
                    : String.valueOf(e.getMessage());
            throw new ConfigException(
                    "--tls-keystore: cannot load " + config.tlsKeystore() + " as PKCS12 (" + why + ")");
        }
    }

    private static void bind(ServerConnector c, String setting, String host, int port) {
        try {
            c.open();
        } catch (java.io.IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException(setting + ": cannot listen on " + host + ":" + port + " ("
                    + (cause instanceof java.net.BindException
                            ? cause.getMessage().toLowerCase(java.util.Locale.ROOT)
                            : cause.toString())
                    + ")");
        }
    }

    /** The port actually bound (useful when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The operator listener's port; {@link NetConfig#ADMIN_PORT_OFF} without one. */
    public int adminPort() {
        return adminConnector == null ? NetConfig.ADMIN_PORT_OFF : adminConnector.getLocalPort();
    }

    /** Stops taking connections; sessions already open stay until {@link #stop}. */
    public void stopAccepting() {
        connector.close();
    }

    /** Stops the housekeeper and Jetty; closes the listeners also when {@link #start} failed half-way. */
    public void stop() throws Exception {
        if (housekeeper != null) {
            housekeeper.close();
        }
        connector.close();
        if (adminConnector != null) {
            adminConnector.close();
        }
        server.stop();
        connections.close();
    }

    /** Connections closed for not delivering a whole request head within the deadline. */
    public long headTimeouts() {
        return connections.headTimeouts();
    }
}
