package io.tickroom.server.session;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.Welcome;
import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.auth.Principal;

/**
 * {@code refresh_token}: a session renews its authentication with a fresh token of the same
 * user before the old one expires; otherwise the housekeeper closes it with 4001 "token expired"
 * when the old one runs out. A token that does not verify, or names another user, is refused
 * with UNAUTHENTICATED and changes nothing (the session keeps its current expiry). A token that
 * verifies replaces the session's principal: its roles are re-checked, so a role the new token
 * lacks is gone; on a namespace that requires a role ({@code /ws/admin}: admin) a token without
 * it is answered FORBIDDEN and the session is closed 1008 "role revoked" (the requests behind it
 * are refused FORBIDDEN by the dispatcher's role check). Runs on the session's lane like any
 * request that changes session state, so it is ordered with the others.
 */
public final class TokenRefresh {
    private final Authenticator tokens;

    public TokenRefresh(Authenticator tokens) {
        this.tokens = tokens;
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.REFRESH_TOKEN, this::refresh);
    }

    void refresh(Request r) {
        Principal p;
        try {
            p = tokens.verify(r.frame().getRefreshToken().getToken());
        } catch (AuthException e) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, e.getMessage());
        }
        if (!p.userId().equals(r.session().userId())) {
            throw new ProtocolException(ErrorCode.UNAUTHENTICATED, "the token is for another user");
        }
        r.session().reauthenticate(p);
        if (r.session().namespace() == Namespace.ADMIN && !p.hasRole(Principal.ADMIN_ROLE)) {
            r.fail(
                    ErrorCode.FORBIDDEN,
                    "the new token lacks role '" + Principal.ADMIN_ROLE + "', which " + Namespace.ADMIN.path()
                            + " requires; this session is closed");
            r.session().close(CloseCodes.POLICY_VIOLATION, CloseCodes.ROLE_REVOKED);
            return;
        }
        // the answer says the new expiry in a welcome-shaped message a client already understands
        r.reply(ServerFrame.newBuilder()
                .setWelcome(Welcome.newBuilder()
                        .setSessionId(r.session().id())
                        .setUserId(p.userId())
                        .setUserName(p.name())
                        .setTokenExpiresAtMs(p.expiresAtMs() == Long.MAX_VALUE ? 0 : p.expiresAtMs())));
    }
}
