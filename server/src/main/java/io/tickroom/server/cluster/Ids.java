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

    /**
     * {@code length} letters drawn uniformly from {@code alphabet}: random bytes are taken in one
     * call (every connect makes a session id; a {@code nextInt} per letter was a locked read of the
     * system's source and a 4-byte array each), and a byte at or past the largest multiple of the
     * alphabet's size below 256 is dropped rather than folded in, so no letter is likelier.
     */
    static String random(char[] alphabet, int length) {
        int n = alphabet.length;
        int limit = 256 - 256 % n;
        char[] out = new char[length];
        byte[] bytes = new byte[length + length / 4 + 4];
        int used = bytes.length;
        for (int i = 0; i < length; ) {
            if (used == bytes.length) {
                RANDOM.nextBytes(bytes);
                used = 0;
            }
            int b = bytes[used++] & 0xff;
            if (b < limit) {
                out[i++] = alphabet[b % n];
            }
        }
        return new String(out);
    }
}
