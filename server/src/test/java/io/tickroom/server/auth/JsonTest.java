package io.tickroom.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsTheValuesOfAnObject() throws Exception {
        Map<String, Object> o = Json.parseObject(
                " {\"s\":\"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\",\"i\":-12,\"big\":123456789012345678901,"
                        + "\"d\":1.5e2,\"t\":true,\"f\":false,\"n\":null,\"a\":[1,\"x\",[]],\"o\":{\"k\":{}}}\n");
        assertEquals("a\"b\\c/é\uD83D\uDE00", o.get("s"));
        assertEquals(-12L, o.get("i"));
        assertEquals(1.2345678901234568E20, o.get("big"));
        assertEquals(150.0, o.get("d"));
        assertEquals(true, o.get("t"));
        assertEquals(false, o.get("f"));
        assertEquals(true, o.containsKey("n"));
        assertEquals(null, o.get("n"));
        assertEquals(List.of(1L, "x", List.of()), o.get("a"));
        assertEquals(Map.of("k", Map.of()), o.get("o"));
    }

    @Test
    void refusesWhatIsNotStrictJson() {
        for (String text : List.of(
                "",
                "[]",
                "\"s\"",
                "{",
                "{\"a\":1,}",
                "{\"a\":1 \"b\":2}",
                "{a:1}",
                "{'a':1}",
                "{\"a\":01}",
                "{\"a\":1.}",
                "{\"a\":.5}",
                "{\"a\":+1}",
                "{\"a\":1e}",
                "{\"a\":NaN}",
                "{\"a\":1e999}",
                "{\"a\":tru}",
                "{\"a\":\"\u0001\"}",
                "{\"a\":\"\\x\"}",
                "{\"a\":\"\\u12\"}",
                "{\"a\":\"\\u00g0\"}",
                "{\"a\":\"\\u\uFF10\uFF10\uFF10\uFF10\"}",
                "{\"a\":\"\\ud800\"}",
                "{\"a\":\"\\udc00\"}",
                "{\"a\":\"\\ud800\\u0041\"}",
                "{\"a\":\"\uD800\"}",
                "{\"a\":\"open}",
                "{\"a\":1,\"a\":2}",
                "{\"a\":1} {}",
                "{\"a\":1} x",
                "{\"a\":1}/*c*/",
                "{\"a\":" + "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH) + "}")) {
            assertThrows(Json.Malformed.class, () -> Json.parseObject(text), text);
        }
    }

    @Test
    void nestingUpToTheLimitIsRead() throws Exception {
        int arrays = Json.MAX_DEPTH - 1; // the object itself is one level
        Json.parseObject("{\"a\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}");
    }

    @Test
    void whatIsQuotedReadsBackAsItWas() throws Exception {
        Random rnd = new Random(7);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder v = new StringBuilder();
            for (int k = rnd.nextInt(20); k > 0; k--) {
                int c = rnd.nextInt(4) == 0 ? rnd.nextInt(0x80) : rnd.nextInt(0x110000);
                if (c >= 0xd800 && c <= 0xdfff) {
                    continue;
                }
                v.appendCodePoint(c);
            }
            StringBuilder text = new StringBuilder("{\"v\":");
            Json.quote(text, v.toString());
            assertEquals(
                    v.toString(), Json.parseObject(text.append('}').toString()).get("v"));
        }
    }

    @Test
    void wellFormedUtf8AgreesWithTheJdksStrictDecoder() {
        Random rnd = new Random(11);
        int wellFormed = 0;
        for (int n = 0; n < 200_000; n++) {
            byte[] b = new byte[rnd.nextInt(6)];
            for (int k = 0; k < b.length; k++) {
                // mostly bytes that matter to UTF-8: lead bytes, continuations, ASCII
                int pick = rnd.nextInt(4);
                b[k] = (byte)
                        (pick == 0
                                ? rnd.nextInt(0x80)
                                : pick == 1 ? 0x80 + rnd.nextInt(0x40) : 0xc0 + rnd.nextInt(0x40));
            }
            boolean jdk = true;
            try {
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b));
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            assertEquals(jdk, TokenVerifier.wellFormedUtf8(b), Arrays.toString(b));
            wellFormed += jdk ? 1 : 0;
        }
        assertEquals(true, wellFormed > 10_000, wellFormed + " well-formed inputs: the generator should reach both");
    }

    @Test
    void anyCutOrSpliceOfJsonIsReadOrRefusedNeverThrowsAnythingElse() {
        // a signed token's payload is the sender's to choose: whatever it holds, the reader must end
        // in a value or Malformed (a 401), never an index or number exception (a 500)
        String seed = "{\"sub\":\"u-1\",\"exp\":1.5e3,\"aud\":[\"a\",\"b\"],\"r\":-0.25E-2,"
                + "\"s\":\"\\u00e9\\ud83d\\ude00\\n\",\"o\":{\"k\":[true,false,null,{}]},\"big\":123456789012345678901}";
        String pieces = "{}[]\",:\\u0123456789abcdefABCDEF.eE+-truefalsenull \t\n\u00e9\ud83d";
        Random rnd = new Random(13);
        int read = 0;
        for (int n = 0; n < 200_000; n++) {
            String text;
            if (n < seed.length()) {
                text = seed.substring(0, n); // every prefix
            } else {
                StringBuilder b = new StringBuilder(seed);
                for (int k = rnd.nextInt(1, 4); k > 0; k--) {
                    int at = rnd.nextInt(b.length() + 1);
                    switch (rnd.nextInt(3)) {
                        case 0 -> b.insert(at, pieces.charAt(rnd.nextInt(pieces.length())));
                        case 1 -> b.delete(at, Math.min(b.length(), at + rnd.nextInt(1, 4)));
                        default ->
                            b.replace(
                                    at,
                                    Math.min(b.length(), at + 1),
                                    String.valueOf(pieces.charAt(rnd.nextInt(pieces.length()))));
                    }
                }
                text = b.toString();
            }
            try {
                Json.parseObject(text);
                read++;
            } catch (Json.Malformed expected) {
                // refused: what a token with this payload gets
            }
        }
        assertEquals(true, read > 1_000, read + " texts read: the mutations should leave some valid");
    }
}
