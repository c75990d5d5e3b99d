package io.tickroom.server.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The match's settings as they travel to the node asked to host it. */
class MatchPlacementTest {

    @Test
    void settingsSurviveTheHopToAnotherNodeWhateverTheyHold() {
        Map<String, String> settings = Map.of("map", "dust & nuke", "eq", "a=b", "lines", "one\ntwo\tthree",
                "unicode", "gold ★ é", "pct", "100%");
        String encoded = MatchPlacement.encode(settings);
        assertFalse(encoded.contains("\n") || encoded.contains("\t"), "one line, no tab: the request's framing holds");
        assertEquals(settings, MatchPlacement.decode(encoded));
        assertEquals(Map.of(), MatchPlacement.decode(""));
    }
}
