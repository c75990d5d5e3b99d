package io.tickroom.server.net;

import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.session.Namespace;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The handshake chain of one namespace (Socket.IO's {@code io.use}), run before the upgrade:
 * accepting new sessions at all (503 while draining), Origin allow-list (403), token (401),
 * role (403). A rejection never creates a socket.
 */
final class Handshake {
    private final Namespace namespace;
    private final TokenVerifier tokens;
    private final List<String> allowedOrigins;
    private final BooleanSupplier accepting;

    Handshake(Namespace namespace, TokenVerifier tokens, List<String> allowedOrigins, BooleanSupplier accepting) {
        this.namespace = namespace;
        this.tokens = tokens;
        this.allowedOrigins = allowedOrigins;
        this.accepting = accepting;
    }

    Namespace namespace() {
        return namespace;
    }

    Principal check(HandshakeRequest req) throws HandshakeRejection {
        if (!accepting.getAsBoolean()) {
            throw new HandshakeRejection(503, "server is shutting down; connect to another node");
        }
        if (req.origin() != null && !allowedOrigins.isEmpty() && !allowedOrigins.contains(req.origin())) {
            throw new HandshakeRejection(403, "origin not allowed: " + req.origin());
        }
        Principal principal;
        try {
            principal = tokens.verify(req.token());
        } catch (AuthException e) {
            throw new HandshakeRejection(401, e.getMessage());
        }
        if (namespace == Namespace.ADMIN && !principal.hasRole(Principal.ADMIN_ROLE)) {
            throw new HandshakeRejection(403, "role 'admin' required for " + namespace.path());
        }
        return principal;
    }
}
