package io.tickroom.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Verifies HS256 JWTs (RFC 7519, compact JWS of RFC 7515) and turns them into {@link Principal}s.
 * Thread-safe; called on Jetty threads during the handshake (and later for token refresh).
 *
 * <p>Claims: {@code sub} (required, a string of at most 128 characters of
 * {@code A-Z a-z 0-9 . _ - : @ + =}, so a user id can be shown and logged as it is), {@code exp}
 * (required, within the policy's maximum lifetime counted from {@code iat}), {@code nbf} (checked
 * with the policy's clock skew when present), {@code iss} and {@code aud} (required when the policy
 * names them; {@code aud} a string or an array of strings), {@code name} (a string; control and
 * bidirectional-override characters removed, at most 64), {@code roles} (an array of strings),
 * {@code rating} (an integer in int range; any other value is ignored). A claim whose value is
 * JSON {@code null} counts as absent. Times are NumericDates: seconds, a fraction truncated.
 *
 * <p>The header must name {@code "alg":"HS256"} and must not carry {@code crit} (no extension is
 * understood here, so RFC 7515 §4.1.11 says refuse). The signature is checked before the claims
 * are read. Stricter than general JOSE libraries, on purpose: each part is unpadded base64url
 * (RFC 7515 §2) with nothing else in it, the signature's encoding is the canonical one, the JSON
 * is read by {@link Json} (duplicate names, lone surrogates and malformed UTF-8 refused). The
 * reading costs one pass over a few hundred bytes and well under a kilobyte of garbage; the
 * library this replaced (nimbus-jose-jwt, still the reference in the differential test) spent
 * about 9 KB and a provider lookup per handshake.
 */
public final class TokenVerifier implements Authenticator {
    private static final int MAX_TOKEN_CHARS = 8192;
    /** User ids: at most this many characters. */
    static final int MAX_USER_ID_CHARS = 128;

    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private final Hs256 hmac;
    private final TokenPolicy policy;
    private final LongSupplier epochMillis;

    /** A verifier with {@link TokenPolicy#DEFAULTS} reading {@code clock}. */
    public TokenVerifier(String secret, Clock clock) {
        this(secret, TokenPolicy.DEFAULTS, clock::millis);
    }

    /** A verifier of {@code policy} reading wall-clock time from {@code epochMillis} (the node's time source). */
    public TokenVerifier(String secret, TokenPolicy policy, LongSupplier epochMillis) {
        this.hmac = new Hs256(secret);
        this.policy = policy;
        this.epochMillis = epochMillis;
    }

    /** Returns the principal of a valid token, or throws with a reason the client may read. */
    @Override
    public Principal verify(String token) throws AuthException {
        if (token == null || token.isBlank()) {
            throw new AuthException("missing token");
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            throw new AuthException("token too long");
        }
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0 || !base64url(token)) {
            throw new AuthException("malformed token");
        }
        Map<String, Object> header = json(token, 0, dot1, "malformed token");
        if (!"HS256".equals(header.get("alg"))) {
            throw new AuthException("token must be signed with HS256");
        }
        if (header.containsKey("crit")) {
            throw new AuthException("token has critical header parameters (crit) this node does not understand");
        }
        if (!hmac.verifies(token, dot2)) {
            throw new AuthException("bad token signature");
        }
        Map<String, Object> claims = json(token, dot1 + 1, dot2, "token claims malformed");
        Object sub = claims.get("sub");
        if (!(sub instanceof String userId) || !usableUserId(userId)) {
            throw new AuthException("token has no usable sub claim (1-128 characters of A-Z a-z 0-9 . _ - : @ + =)");
        }
        long nowMs = epochMillis.getAsLong();
        long expMs = numericDateMs(claims, "exp");
        if (expMs == ABSENT) {
            throw new AuthException("token has no exp claim");
        }
        if (expMs <= nowMs) {
            throw new AuthException("token expired");
        }
        long nbfMs = numericDateMs(claims, "nbf");
        if (nbfMs != ABSENT && nbfMs > nowMs + policy.clockSkewMs()) {
            throw new AuthException("token not valid yet (nbf)");
        }
        // the lifetime counts from iat, or from now when iat is absent or ahead of this node's clock
        long iatMs = numericDateMs(claims, "iat");
        long bornMs = iatMs != ABSENT ? Math.min(iatMs, nowMs) : nowMs;
        if (expMs - bornMs > policy.maxLifetimeMs()) {
            throw new AuthException(
                    "token lives longer than this node allows (" + policy.maxLifetimeMs() / 1000 + " s)");
        }
        String issuer = string(claims, "iss");
        if (!policy.issuer().isEmpty() && !policy.issuer().equals(issuer)) {
            throw new AuthException("token issuer (iss) is not the one this node accepts");
        }
        List<String> audience = strings(claims, "aud", true);
        if (!policy.audience().isEmpty() && (audience == null || !audience.contains(policy.audience()))) {
            throw new AuthException("token audience (aud) does not include this node's");
        }
        String name = displayName(string(claims, "name"));
        if (name.isEmpty()) {
            name = userId;
        }
        List<String> roleList = strings(claims, "roles", false);
        Set<String> roles = roleList == null ? Set.of() : Set.copyOf(roleList);
        OptionalInt rating = claims.get("rating") instanceof Long r && r == r.intValue()
                ? OptionalInt.of(r.intValue())
                : OptionalInt.empty();
        return new Principal(userId, name, roles, expMs, rating);
    }

    private static final long ABSENT = Long.MIN_VALUE;
    private static final long MAX_SECONDS = Long.MAX_VALUE / 1000 - 1;

    /**
     * Whether {@code id} is 1 to 128 characters of {@code A-Z a-z 0-9 . _ - : @ + =}: safe to show to
     * other players and to write into a log line as it is.
     */
    static boolean usableUserId(String id) {
        if (id.isEmpty() || id.length() > MAX_USER_ID_CHARS) {
            return false;
        }
        for (int k = 0; k < id.length(); k++) {
            char c = id.charAt(k);
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || ".:@+=-_".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    /** Whether every character is base64url or one of the two dots: no padding, no whitespace. */
    private static boolean base64url(String token) {
        for (int k = 0; k < token.length(); k++) {
            char c = token.charAt(k);
            if (!((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.')) {
                return false;
            }
        }
        return true;
    }

    /** The JSON object that {@code token[from, to)} encodes, as strictly UTF-8 JSON. */
    private static Map<String, Object> json(String token, int from, int to, String refusal) throws AuthException {
        try {
            byte[] utf8 = B64.decode(token.substring(from, to));
            if (!wellFormedUtf8(utf8)) {
                throw new AuthException(refusal);
            }
            return Json.parseObject(new String(utf8, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | Json.Malformed e) {
            throw new AuthException(refusal);
        }
    }

    /**
     * Whether {@code b} is well-formed UTF-8 (RFC 3629: shortest forms only, no surrogates, nothing
     * past U+10FFFF), so no byte is silently replaced when it becomes text.
     */
    static boolean wellFormedUtf8(byte[] b) {
        int k = 0;
        while (k < b.length) {
            int c = b[k] & 0xff;
            if (c < 0x80) {
                k++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xc2 && c <= 0xdf) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xe0 && c <= 0xef) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xf0 && c <= 0xf4) {
                n = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (k + n >= b.length) { // cut short
                return false;
            }
            int cp = c & (0x3f >> n);
            for (int j = 1; j <= n; j++) {
                int cc = b[k + j] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | (cc & 0x3f);
            }
            if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                return false;
            }
            k += n + 1;
        }
        return true;
    }

    /** A NumericDate claim in epoch milliseconds, {@link #ABSENT}, or refused when not a number. */
    private static long numericDateMs(Map<String, Object> claims, String name) throws AuthException {
        Object v = claims.get(name);
        if (v == null) {
            return ABSENT;
        }
        long seconds;
        if (v instanceof Long l) {
            seconds = l;
        } else if (v instanceof Double d) {
            seconds = (long) (double) d; // truncated, as NumericDate readers do
        } else {
            throw new AuthException("token claims malformed");
        }
        // beyond ±292 million years a millisecond count overflows: no real token says that
        if (seconds > MAX_SECONDS || seconds < -MAX_SECONDS) {
            throw new AuthException("token claims malformed");
        }
        return seconds * 1000;
    }

    private static String string(Map<String, Object> claims, String name) throws AuthException {
        Object v = claims.get(name);
        if (v == null || v instanceof String) {
            return (String) v;
        }
        throw new AuthException("token claims malformed");
    }

    /** An array of strings (or, when {@code single} allows, one string), null when absent. */
    private static List<String> strings(Map<String, Object> claims, String name, boolean single) throws AuthException {
        Object v = claims.get(name);
        if (v == null) {
            return null;
        }
        if (single && v instanceof String s) {
            return List.of(s);
        }
        if (v instanceof List<?> list) {
            for (Object e : list) {
                if (!(e instanceof String)) {
                    throw new AuthException("token claims malformed");
                }
            }
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            return strings;
        }
        throw new AuthException("token claims malformed");
    }

    /**
     * A display name as other players see it: without control characters (CR, LF, NUL, ESC, …)
     * and bidirectional overrides or isolates (which can make a name read as something else), at
     * most 64 characters.
     */
    static String displayName(String raw) {
        if (raw == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(raw.length(), 64));
        int kept = 0;
        for (int k = 0; k < raw.length() && kept < 64; ) {
            int c = raw.codePointAt(k);
            k += Character.charCount(c);
            if (!Character.isISOControl(c) && !isBidiControl(c) && Character.getType(c) != Character.FORMAT) {
                b.appendCodePoint(c);
                kept++;
            }
        }
        return b.toString().strip();
    }

    private static boolean isBidiControl(int c) {
        return (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069)
                || c == 0x200E
                || c == 0x200F
                || c == 0x061C;
    }
}
