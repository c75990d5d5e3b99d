package io.tickroom.server.lobby;

import io.tickroom.server.session.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of client-supplied fields; every refusal names the field. */
public final class Fields {
    static final int MAX_ID_CHARS = 64;
    /** Longest lobby attribute key, in UTF-8 bytes. */
    static final int MAX_ATTRIBUTE_KEY_BYTES = 64;
    /** Longest lobby attribute value, in UTF-8 bytes. */
    static final int MAX_ATTRIBUTE_VALUE_BYTES = 256;

    private static final Pattern ATTRIBUTE_KEY = Pattern.compile("[A-Za-z0-9_.-]+");

    private Fields() {}

    public static String id(String field, String value) {
        if (value.isEmpty()) {
            throw ProtocolException.invalid(field, "required");
        }
        if (value.length() > MAX_ID_CHARS) {
            throw ProtocolException.invalid(field, "longer than " + MAX_ID_CHARS + " characters");
        }
        return value;
    }

    /**
     * Lobby attributes (or a listing filter) from the wire: at most {@code maxKeys} pairs, each key
     * 1..{@value #MAX_ATTRIBUTE_KEY_BYTES} bytes of [A-Za-z0-9_.-], each value
     * 1..{@value #MAX_ATTRIBUTE_VALUE_BYTES} bytes of UTF-8 without control characters. A refusal
     * names the field and the key.
     */
    static Map<String, String> attributes(String field, Map<String, String> pairs, int maxKeys) {
        if (pairs.size() > maxKeys) {
            throw ProtocolException.invalid(field, "at most " + maxKeys + " keys, was " + pairs.size());
        }
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            attributeKey(field, e.getKey());
            String v = e.getValue();
            String at = field + "[\"" + e.getKey() + "\"]";
            int bytes = v.getBytes(StandardCharsets.UTF_8).length;
            if (bytes == 0) {
                throw ProtocolException.invalid(at, "value must not be empty");
            }
            if (bytes > MAX_ATTRIBUTE_VALUE_BYTES) {
                throw ProtocolException.invalid(
                        at, "value longer than " + MAX_ATTRIBUTE_VALUE_BYTES + " bytes (" + bytes + ")");
            }
            if (v.codePoints().anyMatch(Character::isISOControl)) {
                throw ProtocolException.invalid(at, "value contains control characters");
            }
        }
        return Map.copyOf(pairs);
    }

    /** Attribute keys to remove, each valid as a key. */
    static Set<String> attributeKeys(String field, Collection<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            attributeKey(field, k);
            out.add(k);
        }
        return Set.copyOf(out);
    }

    private static void attributeKey(String field, String key) {
        int bytes = key.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0) {
            throw ProtocolException.invalid(field, "a key must not be empty");
        }
        if (bytes > MAX_ATTRIBUTE_KEY_BYTES) {
            throw ProtocolException.invalid(
                    field,
                    "key '" + key.substring(0, Math.min(key.length(), 16)) + "…' longer than " + MAX_ATTRIBUTE_KEY_BYTES
                            + " bytes (" + bytes + ")");
        }
        if (!ATTRIBUTE_KEY.matcher(key).matches()) {
            throw ProtocolException.invalid(field, "key '" + key + "' must be of [A-Za-z0-9_.-]");
        }
    }

    /** Trimmed text of 1..max code points without control characters. */
    public static String text(String field, String value, int maxChars) {
        String v = value.strip();
        if (v.isEmpty()) {
            throw ProtocolException.invalid(field, "must not be empty");
        }
        int chars = v.codePointCount(0, v.length());
        if (chars > maxChars) {
            throw ProtocolException.invalid(field, "longer than " + maxChars + " characters (" + chars + ")");
        }
        if (v.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw ProtocolException.invalid(field, "contains control characters");
        }
        return v;
    }
}
