package io.tickroom.client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** Connections over a shared Jetty {@link WebSocketClient}. */
final class JettyConnector implements Transport.Connector {
    private final WebSocketClient client;

    JettyConnector(WebSocketClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Transport> connect(
            URI uri, String token, boolean tokenInQuery, Transport.Listener listener) {
        URI target = tokenInQuery
                ? URI.create(uri + (uri.getQuery() == null ? "?" : "&") + "access_token="
                        + URLEncoder.encode(token, StandardCharsets.UTF_8))
                : uri;
        ClientUpgradeRequest req = new ClientUpgradeRequest(target);
        if (!tokenInQuery) {
            req.setHeader("Authorization", "Bearer " + token);
        }
        Endpoint endpoint = new Endpoint(listener);
        CompletableFuture<Transport> result = new CompletableFuture<>();
        try {
            client.connect(endpoint, req).whenComplete((session, err) -> {
                if (err == null) {
                    result.complete(endpoint.transport);
                    return;
                }
                Throwable cause = err;
                while (cause.getCause() != null && !(cause instanceof UpgradeException)) {
                    cause = cause.getCause();
                }
                if (cause instanceof UpgradeException up && up.getResponseStatusCode() > 0) {
                    result.completeExceptionally(new Transport.HandshakeRejectedException(
                            up.getResponseStatusCode(), String.valueOf(up.getMessage())));
                } else {
                    result.completeExceptionally(err);
                }
            });
        } catch (Exception e) {
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Jetty binds endpoints with method handles: this class must be public. */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final Transport.Listener listener;
        volatile Transport transport;

        Endpoint(Transport.Listener listener) {
            this.listener = listener;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            transport = new Transport() {
                @Override
                public void send(ByteBuffer frame) {
                    session.sendBinary(frame, Callback.NOOP);
                }

                @Override
                public void close(int code, String reason) {
                    session.close(code, reason, Callback.NOOP);
                }

                @Override
                public void abort() {
                    session.disconnect();
                }
            };
            listener.onOpen(transport);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            try {
                listener.onFrame(payload);
            } finally {
                callback.succeed();
            }
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            // a failed write or a reset connection: onWebSocketClose follows and reports it
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason, Callback callback) {
            listener.onClose(statusCode, reason);
            callback.succeed();
        }
    }
}
