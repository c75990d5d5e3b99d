package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.auth.TokenPolicy;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Defaults live once, in the config records: every option's default is its record's default. */
class OptionDefaultsTest {
    static final String SECRET = "defaults-secret-defaults-secret-0123456";

    @Test
    void everyOptionDefaultsToItsRecordsDefault() throws Exception {
        ServerConfig parsed = ServerMainTest.parse("--jwt-secret=" + SECRET, "--node-id", "n");
        ServerConfig records = ServerConfig.defaults("n", SECRET);
        assertEquals(records.net(), parsed.net());
        assertEquals(records.limits(), parsed.limits());
        assertEquals(records.lobby(), parsed.lobby());
        assertEquals(records.match(), parsed.match());
        assertEquals(records.cluster(), parsed.cluster());
        assertEquals(records.session(), parsed.session());
        assertEquals(TokenPolicy.DEFAULTS, parsed.tokens());
        assertEquals(records, parsed, "nothing else differs");
    }

    @Test
    void everyOptionReadsTheEnvironmentVariableTheHelpNames() {
        CommandLine cli = ServerMain.commandLine();
        cli.getCommandSpec().interpolateVariables(false); // the defaults as written, ${env:...} and all
        int options = 0;
        for (CommandLine.Model.OptionSpec o : cli.getCommandSpec().options()) {
            if (!ServerMain.settable(o) || o.longestName().equals("--config")) {
                continue; // --help, --version; --config is read before parsing (TICKROOM_CONFIG)
            }
            options++;
            String env = ServerMain.envName(o);
            assertTrue(
                    o.defaultValue() != null && o.defaultValue().startsWith("${env:" + env + "}")
                            || o.defaultValue().startsWith("${env:" + env + ":-"),
                    o.longestName() + ": " + o.defaultValue());
        }
        assertTrue(options >= 50, "every option checked: " + options);
    }

    @Test
    void theTokenFlagsBuildTheTokenPolicy() throws Exception {
        ServerConfig c = ServerMainTest.parse(
                "--jwt-secret=" + SECRET,
                "--jwt-issuer",
                "https://auth.example",
                "--jwt-audience",
                "tickroom",
                "--jwt-max-lifetime-ms",
                "60000",
                "--jwt-clock-skew-ms",
                "5");
        assertEquals(new TokenPolicy("https://auth.example", "tickroom", 60_000, 5), c.tokens());
    }

    @Test
    void theAdminPortIsOffByDefaultAndAFlagTurnsItOn() throws Exception {
        assertEquals(
                NetConfig.ADMIN_PORT_OFF,
                ServerMainTest.parse("--jwt-secret=" + SECRET).net().adminPort());
        NetConfig net = ServerMainTest.parse(
                        "--jwt-secret=" + SECRET, "--admin-port", "9100", "--admin-host", "10.0.0.5")
                .net();
        assertEquals(9100, net.adminPort());
        assertEquals("10.0.0.5", net.adminBindHost());
    }
}
