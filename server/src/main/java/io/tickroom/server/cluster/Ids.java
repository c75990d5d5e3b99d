package io.tickroom.server.cluster;

import java.security.SecureRandom;

/** Random identifiers: unguessable lobby ids and short, unambiguous join codes. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private Ids() {}

    public static String newId(int length) {
        return random(ID_ALPHABET, length);
    }

    public static String newJoinCode() {
        return random(CODE_ALPHABET, 6);
    }

    private static String random(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[RANDOM.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
