package io.tickroom.server.auth;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON a token's header and claims are written in, read strictly (RFC 8259) and written
 * plainly. Values read are {@link String}, {@link Long} (an integer literal that fits),
 * {@link Double} (any other number, finite), {@link Boolean}, {@code null}, {@code List<Object>}
 * and {@code Map<String, Object>}. Stricter than most JSON libraries, on purpose, since the text
 * comes from whoever connects: a duplicate member name, a lone surrogate escape, a control
 * character inside a string, a leading zero, trailing text, or nesting deeper than
 * {@value #MAX_DEPTH} is {@link Malformed}. Input is bounded by the caller (a token is at most
 * 8,192 characters), so the reader needs no other limit.
 */
final class Json {
    /** Objects and arrays nested deeper than this are refused (claims are one or two levels). */
    static final int MAX_DEPTH = 16;

    /** Not JSON, or JSON this reader refuses. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    /** The JSON object {@code text} is, with nothing but whitespace around it. */
    static Map<String, Object> parseObject(String text) throws Malformed {
        Json r = new Json(text);
        r.space();
        if (r.peek() != '{') {
            throw new Malformed("not a JSON object");
        }
        Map<String, Object> o = r.object(1);
        r.space();
        if (r.i != text.length()) {
            throw new Malformed("text after the JSON object");
        }
        return o;
    }

    /** Appends {@code value} as a JSON string: quotes, backslashes and controls escaped. */
    static void quote(StringBuilder out, String value) {
        out.append('"');
        for (int k = 0; k < value.length(); k++) {
            char c = value.charAt(k);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private int peek() {
        return i < s.length() ? s.charAt(i) : -1;
    }

    private void space() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }

    private void expect(char c) throws Malformed {
        if (peek() != c) {
            throw new Malformed("expected '" + c + "' at " + i);
        }
        i++;
    }

    private Object value(int depth) throws Malformed {
        space();
        int c = peek();
        return switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> word("true", Boolean.TRUE);
            case 'f' -> word("false", Boolean.FALSE);
            case 'n' -> word("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    yield number();
                }
                throw new Malformed(c < 0 ? "JSON ends early" : "unexpected character at " + i);
            }
        };
    }

    private Map<String, Object> object(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("JSON nested deeper than " + MAX_DEPTH);
        }
        expect('{');
        Map<String, Object> o = new HashMap<>();
        space();
        if (peek() == '}') {
            i++;
            return o;
        }
        while (true) {
            space();
            if (peek() != '"') {
                throw new Malformed("expected a member name at " + i);
            }
            String name = string();
            space();
            expect(':');
            Object v = value(depth);
            if (o.containsKey(name)) {
                throw new Malformed("duplicate member \"" + name + "\"");
            }
            o.put(name, v);
            space();
            int c = peek();
            i++;
            if (c == '}') {
                return o;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or '}' at " + (i - 1));
            }
        }
    }

    private List<Object> array(int depth) throws Malformed {
        if (depth > MAX_DEPTH) {
            throw new Malformed("JSON nested deeper than " + MAX_DEPTH);
        }
        expect('[');
        List<Object> a = new ArrayList<>(4);
        space();
        if (peek() == ']') {
            i++;
            return a;
        }
        while (true) {
            a.add(value(depth));
            space();
            int c = peek();
            i++;
            if (c == ']') {
                return a;
            }
            if (c != ',') {
                throw new Malformed("expected ',' or ']' at " + (i - 1));
            }
        }
    }

    private Object word(String w, Object v) throws Malformed {
        if (!s.startsWith(w, i)) {
            throw new Malformed("unexpected character at " + i);
        }
        i += w.length();
        return v;
    }

    private String string() throws Malformed {
        expect('"');
        int start = i;
        // the common case: no escapes, one substring
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                return s.substring(start, i++);
            }
            if (c == '\\' || c < 0x20 || Character.isSurrogate(c)) {
                break;
            }
            i++;
        }
        StringBuilder b = new StringBuilder(s.length() - start).append(s, start, i);
        while (true) {
            if (i >= s.length()) {
                throw new Malformed("unterminated string");
            }
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                throw new Malformed("control character in a string at " + (i - 1));
            }
            if (c != '\\') {
                if (Character.isHighSurrogate(c) && i < s.length() && Character.isLowSurrogate(s.charAt(i))) {
                    b.append(c).append(s.charAt(i++));
                } else if (Character.isSurrogate(c)) {
                    throw new Malformed("lone surrogate in a string at " + (i - 1));
                } else {
                    b.append(c);
                }
                continue;
            }
            if (i >= s.length()) {
                throw new Malformed("unterminated string");
            }
            char e = s.charAt(i++);
            switch (e) {
                case '"' -> b.append('"');
                case '\\' -> b.append('\\');
                case '/' -> b.append('/');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    char u = hex4();
                    if (Character.isHighSurrogate(u)) {
                        if (!s.startsWith("\\u", i)) {
                            throw new Malformed("lone surrogate escape at " + i);
                        }
                        i += 2;
                        char low = hex4();
                        if (!Character.isLowSurrogate(low)) {
                            throw new Malformed("lone surrogate escape at " + i);
                        }
                        b.append(u).append(low);
                    } else if (Character.isLowSurrogate(u)) {
                        throw new Malformed("lone surrogate escape at " + i);
                    } else {
                        b.append(u);
                    }
                }
                default -> throw new Malformed("bad escape at " + (i - 1));
            }
        }
    }

    private char hex4() throws Malformed {
        if (i + 4 > s.length()) {
            throw new Malformed("short \\u escape");
        }
        int v = 0;
        for (int k = 0; k < 4; k++) {
            char h = s.charAt(i++);
            int d = h >= '0' && h <= '9'
                    ? h - '0'
                    : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
            if (d < 0) {
                throw new Malformed("bad \\u escape at " + (i - 1));
            }
            v = v << 4 | d;
        }
        return (char) v;
    }

    private Object number() throws Malformed {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (digits() == 0) {
            throw new Malformed("bad number at " + start);
        }
        boolean integer = true;
        if (peek() == '.') {
            i++;
            integer = false;
            if (digits() == 0) {
                throw new Malformed("bad number at " + start);
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            integer = false;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (digits() == 0) {
                throw new Malformed("bad number at " + start);
            }
        }
        if (integer && i - start <= 19) {
            try {
                return Long.parseLong(s, start, i, 10);
            } catch (NumberFormatException tooBig) {
                // falls through to a double, like any integer beyond a long
            }
        }
        double d = Double.parseDouble(s.substring(start, i));
        if (Double.isInfinite(d)) {
            throw new Malformed("number out of range at " + start);
        }
        return d;
    }

    private int digits() {
        int n = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            n++;
        }
        return n;
    }
}
