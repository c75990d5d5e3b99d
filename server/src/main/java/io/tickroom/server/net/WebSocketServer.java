package io.tickroom.server.net;

import io.tickroom.server.auth.Principal;
import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.session.Namespace;
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
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * The embedded Jetty 12 server: one connector, {@code /ws/play} and {@code /ws/admin} upgrades
 * each behind their handshake chain, the web pages ({@link WebSite}, unless {@code --web off}),
 * {@code /health} and {@code /metrics} for everything else. Owns the Jetty life cycle and the
 * housekeeper.
 */
public final class WebSocketServer {
    private final NetConfig config;
    private final Gateway gateway;
    private final Server server;
    private final ServerConnector connector;
    private final Connections connections;
    private Housekeeper housekeeper;

    public WebSocketServer(NetConfig config, Gateway gateway, TokenVerifier tokens, BooleanSupplier accepting,
            Supplier<String> healthStatus, Supplier<String> metrics, WebSite site,
            java.util.function.Consumer<Server> instrument) {
        this.config = config;
        this.gateway = gateway;
        QueuedThreadPool pool = new QueuedThreadPool(256, 8);
        pool.setName("tickroom-jetty");
        this.server = new Server(pool);
        this.connections = new Connections(gateway.admission(), gateway.time(), config.requestHeadTimeoutMs());
        if (config.tls()) {
            org.eclipse.jetty.util.ssl.SslContextFactory.Server ssl = new org.eclipse.jetty.util.ssl.SslContextFactory.Server();
            ssl.setKeyStorePath(config.tlsKeystore());
            ssl.setKeyStorePassword(config.tlsPassword());
            ssl.setKeyStoreType("PKCS12");
            org.eclipse.jetty.server.HttpConfiguration https = new org.eclipse.jetty.server.HttpConfiguration();
            https.addCustomizer(new org.eclipse.jetty.server.SecureRequestCustomizer(false));
            this.connector = connections.connector(server,
                    new org.eclipse.jetty.server.SslConnectionFactory(ssl, org.eclipse.jetty.http.HttpVersion.HTTP_1_1.asString()),
                    new org.eclipse.jetty.server.HttpConnectionFactory(https));
        } else {
            this.connector = connections.connector(server, new org.eclipse.jetty.server.HttpConnectionFactory());
        }
        connector.setHost(config.host());
        connector.setPort(config.port());
        server.addConnector(connector);
        // every TCP connection counts from accept, whatever it is doing; past the cap the
        // listener stops accepting until one closes (the rest wait in the kernel's backlog)
        server.addBean(new org.eclipse.jetty.server.NetworkConnectionLimit(config.maxConnections(), connector));
        server.setStopTimeout(Math.max(1000, config.shutdownGraceMs()));

        List<Handshake> chains = List.of(
                new Handshake(Namespace.PLAY, tokens, config.allowedOrigins(), accepting, gateway.admission(),
                        gateway::storeReachable),
                new Handshake(Namespace.ADMIN, tokens, config.allowedOrigins(), accepting, gateway.admission(),
                        gateway::storeReachable));
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxBinaryMessageSize(config.maxFrameBytes());
            container.setMaxFrameSize(config.maxFrameBytes());
            container.setMaxTextMessageSize(config.maxFrameBytes());
            // the housekeeper judges liveness from what the peer sends; Jetty's own idle timeout
            // (reset by our pings too) is only a backstop
            container.setIdleTimeout(Duration.ofMillis(config.idleTimeoutMs() * 3));
            // our outbound queue keeps at most maxInFlightFrames data frames in Jetty; the slack
            // leaves room for pings and the close frame
            container.setMaxOutgoingFrames(config.maxInFlightFrames() + 8);
            for (Handshake chain : chains) {
                container.addMapping(chain.namespace().path(), creator(chain));
            }
        });
        HealthHandler health = new HealthHandler(accepting, healthStatus, metrics);
        ws.setHandler(site == null ? health : site.handler(health));
        server.setHandler(new ConnectionGate(connections, gateway.admission(), ws));
        instrument.accept(server);
    }

    private WebSocketCreator creator(Handshake chain) {
        return (ServerUpgradeRequest req, ServerUpgradeResponse resp, Callback callback) -> {
            Connections.Tracked tracked = connections.of(req.getConnectionMetaData().getRemoteSocketAddress());
            String remote = tracked != null ? tracked.address : Request.getRemoteAddr(req);
            HandshakeRequest hr = new HandshakeRequest(chain.namespace().path(),
                    req.getHeaders().get(HttpHeader.ORIGIN),
                    req.getHeaders().get(HttpHeader.AUTHORIZATION),
                    Request.extractQueryParameters(req).getValue("access_token"),
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
            boolean resuming = "1".equals(Request.extractQueryParameters(req).getValue("resume"))
                    || req.getHeaders().get("Tickroom-Resume") != null;
            return new WsEndpoint(gateway, admitted.principal(), chain.namespace(), remote, resuming, admitted.slot(),
                    tracked);
        };
    }

    private static void reject(ServerUpgradeResponse resp, Callback callback, HandshakeRejection rejection) {
        resp.setStatus(rejection.status);
        if (rejection.retryAfterSeconds > 0) {
            resp.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(rejection.retryAfterSeconds));
        }
        if (rejection.status == 401) {
            resp.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
                    "Bearer realm=\"tickroom\", error=\"invalid_token\", error_description=\""
                            + rejection.getMessage().replace('"', '\'') + "\"");
        }
        resp.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        // a refused upgrade's connection is not kept alive: it would count against its address
        // (connections count from accept) until the client's pool let it go
        resp.getHeaders().put(HttpHeader.CONNECTION, "close");
        resp.write(true, ByteBuffer.wrap((rejection.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)), callback);
    }

    public void start() throws Exception {
        server.start();
        housekeeper = new Housekeeper(gateway, config.pingIntervalMs(), config.idleTimeoutMs(), config.writeTimeoutMs());
    }

    /** The port actually bound (useful when configured with 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** Stops taking connections; sessions already open stay until {@link #stop}. */
    public void stopAccepting() {
        connector.close();
    }

    public void stop() throws Exception {
        if (housekeeper != null) {
            housekeeper.close();
        }
        server.stop();
        connections.close();
    }

    /** Connections closed for not delivering a whole request head within the deadline. */
    public long headTimeouts() {
        return connections.headTimeouts();
    }
}
