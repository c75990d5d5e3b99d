package io.tickroom.server.net;

import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.Namespace;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The handshake chain of one namespace (Socket.IO's {@code io.use}), run before the upgrade:
 * accepting new sessions at all (503 while draining; clustered, 503 with {@code Retry-After}
 * while the shared store is unreachable, since a session could not be set up: its lobby seat,
 * presence and resume record live there), the address's handshake rate and open
 * connections (429), Origin allow-list (403), token (401), role (403), the user's sessions on
 * this node (429). A rejection never creates a socket.
 */
final class Handshake {
    private final Namespace namespace;
    private final Authenticator tokens;
    private final List<String> allowedOrigins;
    private final BooleanSupplier accepting;

    private final Admission admission;
    private final BooleanSupplier storeReachable;
    /** What a client waits before retrying while the store is unreachable. */
    static final int STORE_RETRY_AFTER_SECONDS = 2;

    Handshake(
            Namespace namespace,
            Authenticator tokens,
            List<String> allowedOrigins,
            BooleanSupplier accepting,
            Admission admission) {
        this(namespace, tokens, allowedOrigins, accepting, admission, () -> true);
    }

    Handshake(
            Namespace namespace,
            Authenticator tokens,
            List<String> allowedOrigins,
            BooleanSupplier accepting,
            Admission admission,
            BooleanSupplier storeReachable) {
        this.storeReachable = storeReachable;
        this.admission = admission;
        this.namespace = namespace;
        this.tokens = tokens;
        this.allowedOrigins = allowedOrigins;
        this.accepting = accepting;
    }

    Namespace namespace() {
        return namespace;
    }

    /** A handshake that passed: who, and the session slot reserved for it (released by whoever ends it). */
    record Admitted(Principal principal, Admission.Reservation slot) {}

    Admitted check(HandshakeRequest req) throws HandshakeRejection {
        if (!accepting.getAsBoolean()) {
            throw new HandshakeRejection(503, "server is shutting down; connect to another node");
        }
        if (!storeReachable.getAsBoolean()) {
            // no internals in the reason: which store, where, and why are the operator's to read in the log
            throw new HandshakeRejection(
                    503,
                    "the server cannot reach its shared state right now; retry shortly",
                    STORE_RETRY_AFTER_SECONDS);
        }
        admission.checkAddress(req.remoteAddress());
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
        return new Admitted(principal, admission.reserveUser(principal.userId()));
    }
}
