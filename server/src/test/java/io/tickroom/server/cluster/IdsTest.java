package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
    @Test
    void idsAndCodesHaveTheirLengthAndAlphabet() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Ids.newId(16);
            assertTrue(id.matches("[a-z0-9]{16}"), id);
            assertTrue(seen.add(id), "an id came twice: " + id);
            assertTrue(Ids.newJoinCode().matches("[A-HJ-NP-Z2-9]{6}"));
        }
    }

    @Test
    void everyLetterIsEquallyLikelyEvenWhenTheAlphabetDoesNotDivide256() {
        // 200 letters: folding a byte into them (b % 200) would make the first 56 twice as likely
        char[] alphabet = new char[200];
        for (int k = 0; k < alphabet.length; k++) {
            alphabet[k] = (char) (0x100 + k);
        }
        int[] count = new int[alphabet.length];
        int draws = 0;
        for (int i = 0; i < 20_000; i++) {
            for (char c : Ids.random(alphabet, 50).toCharArray()) {
                count[c - 0x100]++;
                draws++;
            }
        }
        double expected = draws / (double) alphabet.length; // 5,000, sd about 70
        for (int k = 0; k < count.length; k++) {
            assertTrue(
                    Math.abs(count[k] - expected) < 0.08 * expected,
                    "letter " + k + " drawn " + count[k] + " times, expected about " + expected);
        }
        assertEquals(1_000_000, draws);
    }
}
