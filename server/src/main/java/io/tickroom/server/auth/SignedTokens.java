package io.tickroom.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens the cluster signs for itself: {@code v1.<payload>.<hmac>}, the payload a few
 * newline-separated fields, the HMAC-SHA256 key derived from the node secret and a purpose
 * (so a seat token is never accepted as a resume token). Any node can verify what another
 * signed; forging one needs the secret. Every connect signs a resume token and every seat is
 * verified, so the {@link Mac} is made once per thread and reused (as in {@link Hs256}).
 * Thread-safe.
 */
public final class SignedTokens {
    /** A token that is not one of ours, or malformed. */
    public static final class InvalidTokenException extends Exception {
        public InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final String kind;
    private final ThreadLocal<Mac> macs;

    /** {@code kind} names the token in errors ("seat token", "resume token") and keys its HMAC. */
    public SignedTokens(String secret, String kind) {
        this.kind = kind;
        SecretKeySpec key = new SecretKeySpec(
                newMac(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"))
                        .doFinal(("tickroom " + kind + " v1").getBytes(StandardCharsets.UTF_8)),
                "HmacSHA256");
        newMac(key); // fail here, at start-up, if the runtime lacks HmacSHA256
        this.macs = ThreadLocal.withInitial(() -> newMac(key));
    }

    public String sign(List<String> fields) {
        String p = B64.encodeToString(String.join("\n", fields).getBytes(StandardCharsets.UTF_8));
        return "v1." + p + "." + B64.encodeToString(macs.get().doFinal(p.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The signed fields, when the token is ours and has {@code fieldCount} of them. */
    public List<String> verify(String token, int fieldCount) throws InvalidTokenException {
        if (token == null || token.length() > 1024 || !token.startsWith("v1.")) {
            throw new InvalidTokenException("not a " + kind);
        }
        int dot = token.indexOf('.', 3);
        if (dot < 0) {
            throw new InvalidTokenException("not a " + kind);
        }
        String p = token.substring(3, dot);
        byte[] sig;
        byte[] payload;
        try {
            sig = B64D.decode(token.substring(dot + 1));
            payload = B64D.decode(p);
        } catch (IllegalArgumentException e) {
            throw new InvalidTokenException("not a " + kind);
        }
        if (!MessageDigest.isEqual(sig, macs.get().doFinal(p.getBytes(StandardCharsets.US_ASCII)))) {
            throw new InvalidTokenException(kind + " signature does not verify");
        }
        String[] f = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (f.length != fieldCount) {
            throw new InvalidTokenException("not a " + kind);
        }
        return Arrays.asList(f);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
