package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} as a newcomer reads it: the options in groups, each with its variable and key, and the endpoints. */
class ServerHelpTest {
    final String help = ServerMain.commandLine().getUsageMessage();

    @Test
    void theOptionsComeInGroupsInTheOrderOfTheConfig() {
        List<String> groups = List.of(
                "Network",
                "Authentication",
                "Limits",
                "Sessions and resume",
                "Lobbies",
                "Matches",
                "Cluster",
                "Operations");
        int at = -1;
        for (String g : groups) {
            int i = help.indexOf("\n" + g);
            assertTrue(i > at, g + " after the group before it:\n" + help);
            at = i;
        }
    }

    @Test
    void everyOptionShowsItsEnvironmentVariableAndFileKey() {
        for (CommandLine.Model.OptionSpec o :
                ServerMain.commandLine().getCommandSpec().options()) {
            if (!ServerMain.settable(o) || o.longestName().equals("--config")) {
                continue;
            }
            assertTrue(
                    help.contains("env " + ServerMain.envName(o) + "  ·  file key " + ServerMain.fileKey(o)),
                    o.longestName());
        }
        assertTrue(help.contains("--port=PORT") && help.contains("(8080)"), help);
    }

    @Test
    void theEndpointsAreListedAndTheHelpDoesNotOpenWithTheDevelopmentSecret() {
        for (String path : List.of("/ws/play", "/ws/admin", "/health", "/metrics", "/console", "/dev/token")) {
            assertTrue(help.contains("  " + path), path);
        }
        assertTrue(help.startsWith("Usage: tickroom-server"), help);
        assertFalse(help.contains("tickroom-dev-secret"), "no secret in the help");
    }
}
