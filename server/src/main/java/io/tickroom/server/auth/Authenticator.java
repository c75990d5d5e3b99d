package io.tickroom.server.auth;

/**
 * Turns the token a client presents (at the handshake, and in {@code refresh_token}) into a
 * {@link Principal}, or refuses it. Called on Jetty threads during handshakes and on lanes for
 * refreshes, so an implementation is thread-safe and does not wait on remote services for long.
 * {@link TokenVerifier} (HS256 JWTs) is the built-in one; a studio embedding the server may give
 * its own ({@code TickroomServer.builder().authenticator(...)}).
 */
@FunctionalInterface
public interface Authenticator {
    /** The principal of a valid token; throws with a reason the client may read otherwise. */
    Principal verify(String token) throws AuthException;
}
