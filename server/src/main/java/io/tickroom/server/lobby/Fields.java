package io.tickroom.server.lobby;

import io.tickroom.server.session.ProtocolException;

/** Validation of client-supplied fields; every refusal names the field. */
public final class Fields {
    static final int MAX_ID_CHARS = 64;

    private Fields() {
    }

    public static String id(String field, String value) {
        if (value.isEmpty()) {
            throw ProtocolException.invalid(field, "required");
        }
        if (value.length() > MAX_ID_CHARS) {
            throw ProtocolException.invalid(field, "longer than " + MAX_ID_CHARS + " characters");
        }
        return value;
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
