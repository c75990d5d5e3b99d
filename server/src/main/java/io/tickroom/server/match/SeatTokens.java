package io.tickroom.server.match;

import io.tickroom.server.auth.SignedTokens;
import java.util.List;

/**
 * Signed seat tokens ({@link SignedTokens}): the payload names the match, the user, the seat, the
 * expiry and the hosting node. A token is bound to one user and one match. Thread-safe.
 * Server-internal: not part of the game API.
 */
public final class SeatTokens {
    /** What a verified token says. */
    public record Seat(String matchId, String userId, int seat, long expiresAtMs, String nodeId) {}

    /** A token that is not one of ours, or malformed. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private final SignedTokens tokens;

    public SeatTokens(String secret) {
        this.tokens = new SignedTokens(secret, "seat token");
    }

    public String mint(Seat s) {
        return tokens.sign(List.of(
                s.matchId(), s.userId(), Integer.toString(s.seat()), Long.toString(s.expiresAtMs()), s.nodeId()));
    }

    /** Checks the signature and shape; expiry is the match's to judge (a claimed seat outlives it). */
    public Seat verify(String token) throws InvalidTokenException {
        List<String> f;
        try {
            f = tokens.verify(token, 5);
        } catch (SignedTokens.InvalidTokenException e) {
            throw new InvalidTokenException(e.getMessage());
        }
        try {
            return new Seat(f.get(0), f.get(1), Integer.parseInt(f.get(2)), Long.parseLong(f.get(3)), f.get(4));
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("not a seat token");
        }
    }
}
