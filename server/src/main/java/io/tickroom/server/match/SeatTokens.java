package io.tickroom.server.match;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed seat tokens: {@code v1.<payload>.<hmac>}, where the payload names the match, the user,
 * the seat, the expiry and the hosting node, and the HMAC-SHA256 key is derived from the node
 * secret (shared by the cluster, so any node can mint a token another node verifies). A token is
 * bound to one user and one match; forging one needs the secret. Thread-safe.
 */
public final class SeatTokens {
    /** What a verified token says. */
    public record Seat(String matchId, String userId, int seat, long expiresAtMs, String nodeId) {
    }

    /** A token that is not one of ours, or malformed. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final byte[] key;

    public SeatTokens(String secret) {
        this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), "tickroom seat token v1".getBytes(StandardCharsets.UTF_8));
    }

    public String mint(Seat s) {
        String payload = String.join("\n", s.matchId(), s.userId(), Integer.toString(s.seat()),
                Long.toString(s.expiresAtMs()), s.nodeId());
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return "v1." + p + "." + B64.encodeToString(hmac(key, p.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Checks the signature and shape; expiry is the match's to judge (a claimed seat outlives it). */
    public Seat verify(String token) throws InvalidTokenException {
        if (token == null || token.length() > 1024 || !token.startsWith("v1.")) {
            throw new InvalidTokenException("not a seat token");
        }
        int dot = token.indexOf('.', 3);
        if (dot < 0) {
            throw new InvalidTokenException("not a seat token");
        }
        String p = token.substring(3, dot);
        byte[] sig;
        try {
            sig = B64D.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not a seat token");
        }
        if (!MessageDigest.isEqual(sig, hmac(key, p.getBytes(StandardCharsets.US_ASCII)))) {
            throw new InvalidTokenException("seat token signature does not verify");
        }
        String[] f = new String(B64D.decode(p), StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != 5) {
            throw new InvalidTokenException("not a seat token");
        }
        try {
            return new Seat(f[0], f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), f[4]);
        } catch (NumberFormatException e) {
            throw new InvalidTokenException("not a seat token");
        }
    }

    private static byte[] hmac(byte[] k, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(k, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
