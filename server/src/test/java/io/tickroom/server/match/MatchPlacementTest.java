package io.tickroom.server.match;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.protocol.internal.v1.HostMatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The match's settings as they travel to the node asked to host it (the internal HostMatch query). */
class MatchPlacementTest {

    @Test
    void settingsSurviveTheHopToAnotherNodeWhateverTheyHold() throws Exception {
        Map<String, String> settings = Map.of(
                "map", "dust & nuke", "eq", "a=b", "lines", "one\ntwo\tthree", "unicode", "gold ★ é", "pct", "100%");
        byte[] wire = HostMatch.newBuilder()
                .setSentAtMs(1)
                .setMode("arena")
                .putAllSettings(settings)
                .build()
                .toByteArray();
        assertEquals(settings, HostMatch.parseFrom(wire).getSettingsMap());
        assertEquals(
                Map.of(),
                HostMatch.parseFrom(
                                HostMatch.newBuilder().setMode("arena").build().toByteArray())
                        .getSettingsMap());
    }
}
