package io.tickroom.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 of a compact JWS (RFC 7515 §7.1): signs {@code header.payload} and checks the
 * signature a token carries. The {@link Mac} is made once per thread (looking one up from the
 * providers costs more than the HMAC itself) and reused; a token's signature is compared in
 * its base64url text form against the one computed, in constant time, so a non-canonical
 * encoding of the right bytes (different trailing bits, padding) does not verify. Thread-safe.
 */
final class Hs256 {
    /** RFC 7518 §3.2: an HS256 key is at least as long as the hash, 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    Hs256(String secret) {
        byte[] k = secret.getBytes(StandardCharsets.UTF_8);
        if (k.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("JWT secret unusable for HS256: it must be at least " + MIN_SECRET_BYTES
                    + " bytes, was " + k.length);
        }
        this.key = new SecretKeySpec(k, "HmacSHA256");
        newMac(); // fail here, at start-up, if the runtime lacks HmacSHA256
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The compact token {@code header.payload.signature} of JSON {@code header} and {@code claims}. */
    String sign(String header, String claims) {
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        return input + "." + signature(input, input.length());
    }

    /**
     * Whether {@code token}'s text after {@code secondDot} is the signature of its text before it.
     * The caller has checked that the token is ASCII.
     */
    boolean verifies(String token, int secondDot) {
        String expected = signature(token, secondDot);
        if (token.length() - secondDot - 1 != expected.length()) {
            return false; // the length of a signature is public
        }
        int diff = 0; // constant time: every character is compared, whatever the first difference
        for (int k = 0; k < expected.length(); k++) {
            diff |= expected.charAt(k) ^ token.charAt(secondDot + 1 + k);
        }
        return diff == 0;
    }

    private String signature(String text, int end) {
        Mac mac = macs.get();
        byte[] input = new byte[end];
        for (int k = 0; k < end; k++) {
            input[k] = (byte) text.charAt(k); // ASCII: base64url and '.'
        }
        return B64.encodeToString(mac.doFinal(input));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this Java runtime", e);
        }
    }
}
