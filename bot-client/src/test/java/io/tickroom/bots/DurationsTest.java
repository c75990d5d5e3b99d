package io.tickroom.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsShortFormsAndIso8601Alike() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(15), Durations.parse("15s"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(15), Durations.parse("PT15S"));
        assertEquals(Duration.ofSeconds(15), Durations.parse("pt15s"));
    }

    @Test
    void theSwarmAndTheSoakTakeShortDurations() {
        BotSwarm swarm = new BotSwarm();
        new picocli.CommandLine(swarm).parseArgs("--duration", "15s", "--ramp-up", "500ms");
        assertEquals(Duration.ofSeconds(15), swarm.duration);
        assertEquals(Duration.ofMillis(500), swarm.rampUp);
        Soak soak = new Soak();
        new picocli.CommandLine(soak)
                .parseArgs(
                        "--url",
                        "ws://127.0.0.1:1/ws/play",
                        "--health",
                        "http://127.0.0.1:1/health",
                        "--duration",
                        "2m",
                        "--settle",
                        "PT30S");
        assertEquals(Duration.ofMinutes(2), soak.duration);
        assertEquals(Duration.ofSeconds(30), soak.settle);
    }

    @Test
    void refusesWhatIsNotADurationNamingTheAcceptedForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("15 sec"));
        assertTrue(e.getMessage().contains("15s"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("PTxS"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
    }
}
