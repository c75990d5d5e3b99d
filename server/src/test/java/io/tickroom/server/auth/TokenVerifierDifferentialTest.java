package io.tickroom.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * {@link TokenVerifier} against the nimbus-jose-jwt verifier it replaced ({@link NimbusReferenceVerifier}),
 * on tens of thousands of generated tokens: hand-written JSON (so claims of every type, escapes,
 * nesting and whitespace occur), signed right or wrong, then mutated. Two properties:
 *
 * <ul>
 *   <li>on tokens both readers should read alike (valid JSON, claims of the types the verifier
 *       documents), the two give the same answer: the same principal, or a refusal with the same
 *       reason;
 *   <li>on anything at all, what ours accepts the reference accepts too, as the same principal
 *       (ours is stricter where the reference is lax, never laxer).
 * </ul>
 *
 * Each failure prints the token and the seed that made it.
 */
class TokenVerifierDifferentialTest {
    static final String SECRET = "0123456789abcdef0123456789abcdef";
    static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210";
    static final long NOW_MS = Instant.parse("2026-12-02T12:00:00Z").toEpochMilli();
    static final long NOW_S = NOW_MS / 1000;

    static final TokenPolicy STRICT = new TokenPolicy("https://auth.example", "tickroom", 3_600_000, 30_000);
    static final List<TokenPolicy> POLICIES = List.of(TokenPolicy.DEFAULTS, STRICT);

    sealed interface Outcome {}

    record Accepted(Principal principal) implements Outcome {}

    record Refused(String reason) implements Outcome {}

    static Outcome ours(TokenPolicy policy, String token) {
        try {
            return new Accepted(new TokenVerifier(SECRET, policy, () -> NOW_MS).verify(token));
        } catch (AuthException e) {
            return new Refused(e.getMessage());
        }
    }

    static Outcome reference(TokenPolicy policy, String token) {
        try {
            return new Accepted(new NimbusReferenceVerifier(SECRET, policy, () -> NOW_MS).verify(token));
        } catch (AuthException e) {
            return new Refused(e.getMessage());
        } catch (RuntimeException e) {
            // the reference fails on some input it half-reads (a role list holding null): a refusal too
            return new Refused("reference threw " + e);
        }
    }

    @Test
    void onTokensBothShouldReadAlikeTheyGiveTheSameAnswer() {
        int accepted = 0;
        int tried = 0;
        for (long seed = 0; seed < 12_000; seed++) {
            Gen g = new Gen(new Random(seed), false);
            String token = g.token();
            for (TokenPolicy policy : POLICIES) {
                Outcome o = headerRefusalsAlike(ours(policy, token));
                Outcome r = headerRefusalsAlike(reference(policy, token));
                if (!o.equals(r)) {
                    fail("seed " + seed + ", policy " + policy + ": ours " + o + ", reference " + r + "\n" + token
                            + "\n" + g.described());
                }
                tried++;
                accepted += o instanceof Accepted ? 1 : 0;
            }
        }
        // the generator must reach both sides, or the agreement says little
        assertTrue(accepted > tried / 10 && accepted < tried * 9 / 10, accepted + " of " + tried + " accepted");
    }

    @Test
    void onAnythingWhatOursAcceptsTheReferenceAcceptsAsTheSamePrincipal() {
        int accepted = 0;
        int refusedOnlyByOurs = 0;
        for (long seed = 0; seed < 20_000; seed++) {
            Gen g = new Gen(new Random(seed), true);
            String token = g.mutated(g.token());
            for (TokenPolicy policy : POLICIES) {
                Outcome o = ours(policy, token);
                Outcome r = reference(policy, token);
                if (o instanceof Accepted a) {
                    accepted++;
                    if (!(r instanceof Accepted ra) || !sameExceptRating(a.principal(), ra.principal())) {
                        fail("seed " + seed + ", policy " + policy + ": ours " + o + ", reference " + r + "\n" + token
                                + "\n" + g.described());
                    }
                } else if (r instanceof Accepted) {
                    refusedOnlyByOurs++;
                }
            }
        }
        assertTrue(accepted > 1000, accepted + " accepted: the wild generator should still make valid tokens");
        assertTrue(refusedOnlyByOurs > 0, "the wild generator should reach what only ours refuses");
    }

    /**
     * A token refused before its signature is checked is refused by the two with different words
     * (the reference cannot parse an {@code alg} of none as a signed token and says "malformed";
     * ours says what is wrong with the header): one reason for all of them.
     */
    private static Outcome headerRefusalsAlike(Outcome o) {
        return o instanceof Refused r
                        && (r.reason().equals("malformed token")
                                || r.reason().contains("HS256")
                                || r.reason().contains("(crit)"))
                ? new Refused("refused before the signature")
                : o;
    }

    /** The rating is read more strictly (an int or nothing), so only a rating ours reads is compared. */
    private static boolean sameExceptRating(Principal ours, Principal ref) {
        return ours.userId().equals(ref.userId())
                && ours.name().equals(ref.name())
                && ours.roles().equals(ref.roles())
                && ours.expiresAtMs() == ref.expiresAtMs()
                && (ours.rating().isEmpty() || ours.rating().equals(ref.rating()));
    }

    @Test
    void refusesWhatTheReferenceIsLaxAbout() throws Exception {
        TokenVerifier v = new TokenVerifier(SECRET, TokenPolicy.DEFAULTS, () -> NOW_MS);
        String claims = "{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + "}";
        String good = sign(SECRET, HEADER, claims);
        assertEquals("u1", v.verify(good).userId());
        int dot2 = good.lastIndexOf('.');
        String sig = good.substring(dot2 + 1);
        // the 43rd character of a 32-byte signature carries 2 unused bits: set one of them
        char last = sig.charAt(42);
        String nonCanonical = good.substring(0, dot2 + 1)
                + sig.substring(0, 42)
                + B64_ALPHABET.charAt((B64_ALPHABET.indexOf(last) | 1));
        assertEquals(
                List.of(v.verify(good).userId()),
                List.of(new NimbusReferenceVerifier(SECRET, TokenPolicy.DEFAULTS, () -> NOW_MS)
                        .verify(nonCanonical)
                        .userId()),
                "the reference takes a signature with its unused bits set");
        List<String> refusedHere = List.of(
                nonCanonical,
                good + "=",
                good.substring(0, dot2) + ".=" + sig,
                " " + good,
                good.replace(".", ". "),
                sign(SECRET, HEADER, "{\"sub\":\"u1\",\"sub\":\"u2\",\"exp\":" + (NOW_S + 60) + "}"),
                sign(SECRET, HEADER, "{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + ",\"name\":\"\\ud800x\"}"),
                sign(SECRET, HEADER, "{\"sub\":123,\"exp\":" + (NOW_S + 60) + "}"),
                sign(SECRET, HEADER, "{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + "} trailing"),
                sign(SECRET, HEADER, "{'sub':'u1',\"exp\":" + (NOW_S + 60) + "}"),
                sign(
                        SECRET,
                        HEADER,
                        "{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + ",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}"),
                sign(SECRET, "{\"alg\":\"HS256\",\"crit\":[\"exp\"],\"exp\":1}", claims),
                sign(SECRET, "{\"alg\":\"none\"}", claims),
                sign(SECRET, "{\"alg\":\"HS512\"}", claims),
                sign(SECRET, "{}", claims),
                sign(OTHER_SECRET, HEADER, claims),
                sign(SECRET, HEADER, "{\"sub\":\"u1\",\"exp\":1e300}"),
                sign(SECRET, HEADER, "{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + ",\"nbf\":-1e300}"));
        for (String token : refusedHere) {
            try {
                v.verify(token);
                fail("accepted " + token);
            } catch (AuthException expected) {
                // refused, as it should be
            }
        }
        // bytes that are not UTF-8 in the claims
        byte[] latin1 = ("{\"sub\":\"u1\",\"exp\":" + (NOW_S + 60) + ",\"name\":\"caf\u00e9\"}")
                .getBytes(StandardCharsets.ISO_8859_1);
        String notUtf8 = signBytes(SECRET, HEADER.getBytes(StandardCharsets.UTF_8), latin1);
        try {
            v.verify(notUtf8);
            fail("accepted claims that are not UTF-8");
        } catch (AuthException e) {
            assertEquals("token claims malformed", e.getMessage());
        }
    }

    @Test
    void tokensMintedHereAreReadByTheReferenceAsByOurs() throws Exception {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        String token = Tokens.mint(
                SECRET,
                "user@studio.example",
                "Zoë \"Z\" \\ \u0007",
                List.of("admin", "bot"),
                now.plusSeconds(600),
                -7);
        Principal ours = new TokenVerifier(SECRET, TokenPolicy.DEFAULTS, System::currentTimeMillis).verify(token);
        Principal ref =
                new NimbusReferenceVerifier(SECRET, TokenPolicy.DEFAULTS, System::currentTimeMillis).verify(token);
        assertEquals(ref, ours);
        assertEquals("Zoë \"Z\" \\", ours.name());
        assertEquals(-7, ours.rating().getAsInt());
    }

    static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    static final String B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    static String sign(String secret, String header, String claims) throws Exception {
        return signBytes(secret, header.getBytes(StandardCharsets.UTF_8), claims.getBytes(StandardCharsets.UTF_8));
    }

    static String signBytes(String secret, byte[] header, byte[] claims) throws Exception {
        String input = B64.encodeToString(header) + "." + B64.encodeToString(claims);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    /**
     * Writes a token's JSON by hand from a seed. {@code wild} adds what the two readers take
     * differently on purpose (numeric subjects, fractional or huge ratings, padding, non-canonical
     * encodings, broken JSON, lone surrogates, other header parameters); without it every claim has
     * a type both read alike.
     */
    static final class Gen {
        final Random rnd;
        final boolean wild;
        final List<String> notes = new ArrayList<>();

        Gen(Random rnd, boolean wild) {
            this.rnd = rnd;
            this.wild = wild;
        }

        String described() {
            return String.join("; ", notes);
        }

        boolean chance(int percent) {
            return rnd.nextInt(100) < percent;
        }

        <T> T pick(List<T> options) {
            return options.get(rnd.nextInt(options.size()));
        }

        String token() {
            String header = header();
            String claims = claims();
            notes.add("header " + header);
            notes.add("claims " + claims);
            try {
                return sign(chance(8) ? OTHER_SECRET : SECRET, header, claims);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        String ws() {
            return chance(85) ? "" : pick(List.of(" ", "\n", "\t ", "\r\n  "));
        }

        String header() {
            List<String> members = new ArrayList<>();
            int alg = rnd.nextInt(100);
            if (alg < 85) {
                members.add(q("alg") + ":" + q("HS256"));
            } else if (alg < 90) {
                members.add(q("alg") + ":" + q(pick(List.of("none", "HS512", "RS256", "hs256"))));
            } else if (alg < 93 && wild) {
                members.add(q("alg") + ":" + pick(List.of("1", "null", "[\"HS256\"]")));
            } // else: no alg
            if (chance(50)) {
                members.add(q("typ") + ":" + q(pick(List.of("JWT", "jwt", "at+jwt"))));
            }
            if (chance(15)) {
                members.add(q("kid") + ":" + q("key-" + rnd.nextInt(5)));
            }
            if (wild && chance(4)) { // refused by both, but by the reference as a bad signature
                members.add(q("crit") + ":[" + q("exp") + "]");
            }
            return object(members);
        }

        String claims() {
            List<String> members = new ArrayList<>();
            members.add(member("sub", sub()));
            String exp = numericDate(90, 120, 3600 * 30);
            if (exp != null) {
                members.add(member("exp", exp));
            }
            if (chance(30)) {
                members.add(member("nbf", numericDate(100, 90, 200)));
            }
            if (chance(50)) {
                members.add(member("iat", numericDate(100, 90, 3600 * 30)));
            }
            if (chance(50)) {
                members.add(member(
                        "iss",
                        chance(90) ? q(pick(List.of("https://auth.example", "https://evil.example", ""))) : "null"));
            }
            if (chance(50)) {
                members.add(member("aud", aud()));
            }
            if (chance(70)) {
                members.add(member("name", name()));
            }
            if (chance(60)) {
                members.add(member("roles", roles()));
            }
            if (chance(50)) {
                members.add(member("rating", rating()));
            }
            for (int k = rnd.nextInt(3); k > 0; k--) {
                members.add(member("x_" + k, anyValue(3)));
            }
            java.util.Collections.shuffle(members, rnd);
            return object(members);
        }

        String member(String name, String value) {
            return ws() + q(name) + ws() + ":" + ws() + value + ws();
        }

        String object(List<String> members) {
            return ws() + "{" + String.join(",", members) + "}" + ws();
        }

        String sub() {
            int k = rnd.nextInt(100);
            if (k < 70) {
                return q(pick(List.of("u1", "alice", "steam:76561198", "user@studio.example", "a.b_c-d+e=f")));
            }
            if (k < 80) {
                return q(pick(List.of("", "spaced out", "x".repeat(129), "bidi\u202Eevil", "nl\nx", "caf\u00e9")));
            }
            if (k < 85) {
                return "null";
            }
            if (k < 90 && wild) {
                return pick(List.of("123", "true", "[\"u1\"]", "{}"));
            }
            return q("u" + rnd.nextInt(1000));
        }

        /** A NumericDate near now: {@code pctPresent} of the time, seconds within ±{@code spread}, biased by {@code ahead}. */
        String numericDate(int pctPresent, int pctAhead, int spread) {
            if (!chance(pctPresent)) {
                return null;
            }
            long s = NOW_S + (chance(pctAhead) ? 1 : -1) * (1 + rnd.nextInt(spread));
            int k = rnd.nextInt(100);
            if (k < 80) {
                return Long.toString(s);
            }
            if (k < 88) {
                return s + "." + rnd.nextInt(1000);
            }
            if (k < 92) {
                return s + "e0";
            }
            if (k < 96) {
                return "null";
            }
            return wild ? pick(List.of("\"" + s + "\"", "true", "1e300", "-1e300", "[" + s + "]")) : Long.toString(s);
        }

        String aud() {
            int k = rnd.nextInt(100);
            if (k < 40) {
                return q(pick(List.of("tickroom", "other")));
            }
            if (k < 80) {
                return "[" + q("other") + (chance(60) ? "," + q("tickroom") : "") + "]";
            }
            if (k < 85) {
                return "[]";
            }
            if (k < 90) {
                return "null";
            }
            return wild ? pick(List.of("1", "[1]", "{}")) : q("tickroom");
        }

        String name() {
            int k = rnd.nextInt(100);
            if (k < 50) {
                return q(pick(List.of("Una", "Zoë", "名前", "\uD83D\uDE00 smile", "Boss\u202E", " \t", "x".repeat(80))));
            }
            if (k < 75) {
                return escaped(
                        pick(List.of("Una\r\n\u001b[1m", "quote \" back \\ slash /", "\uD83D\uDE00", "tab\tend")));
            }
            if (k < 85) {
                return "null";
            }
            if (wild && k < 92) {
                return pick(List.of("\"\\ud800\"", "\"\\udc00x\"", "\"bad \\x escape\"", "\"ctl \u0001\""));
            }
            return wild ? pick(List.of("7", "[\"a\"]", "{}")) : q("N" + rnd.nextInt(10));
        }

        String roles() {
            int k = rnd.nextInt(100);
            if (k < 60) {
                List<String> r = new ArrayList<>();
                for (int n = rnd.nextInt(4); n > 0; n--) {
                    r.add(q(pick(List.of("admin", "bot", "player", "mod"))));
                }
                return "[" + String.join("," + ws(), r) + "]";
            }
            if (k < 70) {
                return "null";
            }
            if (k < 80) {
                return q("admin");
            }
            return wild
                    ? pick(List.of("[\"admin\",1]", "[null]", "{}", "3"))
                    : pick(List.of("[\"admin\",1]", "{}", "3"));
        }

        String rating() {
            int k = rnd.nextInt(100);
            if (k < 60) {
                return Integer.toString(rnd.nextInt(4000) - 200);
            }
            if (k < 70) {
                return q("1500");
            }
            if (k < 80) {
                return "null";
            }
            if (wild) {
                return pick(List.of("1500.7", "1e3", "3000000000", "-3000000000", "99999999999999999999"));
            }
            return pick(List.of(
                    "true", "[1500]", Integer.toString(Integer.MIN_VALUE), Integer.toString(Integer.MAX_VALUE)));
        }

        String anyValue(int depth) {
            int k = rnd.nextInt(depth > 0 ? 100 : 60);
            if (k < 15) {
                return q("v" + rnd.nextInt(100));
            }
            if (k < 25) {
                return escaped("é\u0000\u2028" + rnd.nextInt(9));
            }
            if (k < 35) {
                return pick(List.of("0", "-0", "12.5e-3", "-1E+2", "123456789012345678901234567890"));
            }
            if (k < 45) {
                return pick(List.of("true", "false", "null"));
            }
            if (k < 60) {
                return "\"\\/ \\b\\f\"";
            }
            if (k < 80) {
                List<String> items = new ArrayList<>();
                for (int n = rnd.nextInt(3); n > 0; n--) {
                    items.add(anyValue(depth - 1));
                }
                return "[" + ws() + String.join("," + ws(), items) + "]";
            }
            List<String> members = new ArrayList<>();
            for (int n = rnd.nextInt(3); n > 0; n--) {
                members.add(member("k" + n, anyValue(depth - 1)));
            }
            return "{" + String.join(",", members) + "}";
        }

        /** The wild mutations of a signed token; most tokens are left alone. */
        String mutated(String token) {
            if (!chance(30)) {
                return token;
            }
            int k = rnd.nextInt(8);
            notes.add("mutation " + k);
            int at = rnd.nextInt(token.length());
            return switch (k) {
                case 0 -> token.substring(0, at) + B64_ALPHABET.charAt(rnd.nextInt(64)) + token.substring(at + 1);
                case 1 -> token.substring(0, at) + token.substring(at + 1);
                case 2 -> token + "=";
                case 3 ->
                    token.substring(0, at) + pick(List.of(" ", "\n", "+", "/", "=", ".", "%")) + token.substring(at);
                case 4 -> token.substring(0, token.lastIndexOf('.') + 1);
                case 5 -> token.substring(0, token.lastIndexOf('.'));
                case 6 -> {
                    String[] p = token.split("\\.", -1);
                    yield p.length == 3 ? p[1] + "." + p[0] + "." + p[2] : token;
                }
                default -> {
                    int dot2 = token.lastIndexOf('.');
                    String sig = token.substring(dot2 + 1);
                    yield sig.length() == 43
                            ? token.substring(0, dot2 + 1)
                                    + sig.substring(0, 42)
                                    + B64_ALPHABET.charAt(B64_ALPHABET.indexOf(sig.charAt(42)) ^ rnd.nextInt(1, 4))
                            : token;
                }
            };
        }

        /** {@code s} as a JSON string with every non-ASCII and special character as a {@code \\u} escape. */
        static String escaped(String s) {
            StringBuilder b = new StringBuilder("\"");
            for (char c : s.toCharArray()) {
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    b.append(String.format("\\u%04X", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.append('"').toString();
        }

        static String q(String s) {
            StringBuilder b = new StringBuilder();
            Json.quote(b, s);
            return b.toString();
        }
    }
}
