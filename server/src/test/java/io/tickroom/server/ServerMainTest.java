package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ConfigException;
import io.tickroom.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Configuration precedence: flag over file over built-in default; unknown file keys refused. */
class ServerMainTest {

    static ServerConfig parse(String... args) throws Exception {
        ServerMain main = new ServerMain();
        CommandLine cli = new CommandLine(main);
        var file = ServerMain.configFile(args);
        if (file != null) {
            cli.setDefaultValueProvider(new ServerMain.FileDefaults(file, cli));
        }
        cli.parseArgs(args);
        return main.toConfig();
    }

    @Test
    void aConfigFileSetsWhatFlagsDoNotAndFlagsWin(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tickroom.properties");
        Files.writeString(
                f,
                "max-matches=123\nnode-id=from-file\nresume-grace-ms=5000\n"
                        + "jwt-secret=file-secret-file-secret-file-secret-0123\n");
        ServerConfig fromFile = parse("--config", f.toString());
        assertEquals(123, fromFile.match().maxMatches());
        assertEquals("from-file", fromFile.nodeId());
        assertEquals(5000, fromFile.session().resumeGraceMs());
        assertEquals(8, fromFile.session().maxSessionsPerUser(), "the built-in default where the file is silent");

        ServerConfig flagged = parse("--config=" + f, "--max-matches", "7");
        assertEquals(7, flagged.match().maxMatches(), "the flag wins over the file");
        assertEquals("from-file", flagged.nodeId());
    }

    @Test
    void gamesIsAFlagAndAFileKeyAndABadPathIsBadConfiguration(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("tickroom.properties");
        Files.writeString(
                f,
                "games=" + dir.resolve("nowhere.jar") + "\n" + "jwt-secret=file-secret-file-secret-file-secret-0123\n");
        ServerMain fromFile = new ServerMain();
        CommandLine cli = new CommandLine(fromFile);
        cli.setDefaultValueProvider(
                new ServerMain.FileDefaults(ServerMain.configFile(new String[] {"--config", f.toString()}), cli));
        cli.parseArgs("--config", f.toString());
        assertEquals(dir.resolve("nowhere.jar").toString(), fromFile.matches.games);
        ConfigException e = assertThrows(ConfigException.class, fromFile::gameModes);
        assertTrue(e.getMessage().startsWith("--games / TICKROOM_GAMES: no such file or folder"), e.getMessage());

        ServerMain flagged = new ServerMain();
        new CommandLine(flagged).parseArgs("--games", "");
        assertTrue(flagged.gameModes().find("arena").isPresent(), "empty: the class path's modes (arena)");
    }

    @Test
    void aFlagGivenTwiceTakesItsLastValueAndLeavesTheOtherFlagsOfItsSectionAlone() throws Exception {
        CommandLine cli = ServerMain.commandLine();
        cli.parseArgs(
                "--jwt-secret=0123456789abcdef0123456789abcdef",
                "--max-lobby-players",
                "4096",
                "--lobby-creates-per-minute-per-ip",
                "1000000",
                "--max-lobby-players",
                "8",
                "--port",
                "1",
                "--max-frame-bytes",
                "2048",
                "--port",
                "2");
        ServerConfig config = ((ServerMain) cli.getCommand()).toConfig();
        assertEquals(8, config.lobby().maxPlayers(), "the last value");
        assertEquals(1_000_000, config.lobby().createsPerMinutePerIp(), "given before the repeat, kept");
        assertEquals(2, config.net().port());
        assertEquals(2048, config.net().maxFrameBytes());
    }

    @Test
    void unknownKeysInTheFileAreRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "max-matchez=5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> parse("--config", f.toString()));
        assertTrue(e.getMessage().contains("max-matchez"), e.getMessage());
    }

    @Test
    void withoutANodeIdEveryStartGetsItsOwn() throws Exception {
        String secret = "--jwt-secret=0123456789abcdef0123456789abcdef";
        String first = parse(secret).nodeId();
        String second = parse(secret).nodeId();
        assertTrue(first.matches("[A-Za-z0-9_.-]+-[a-z0-9]{6}"), first);
        assertTrue(!first.equals(second), first + " and " + second);
        assertEquals("explicit", parse(secret, "--node-id", "explicit").nodeId());
    }
}
