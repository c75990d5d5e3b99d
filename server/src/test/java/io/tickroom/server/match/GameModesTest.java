package io.tickroom.server.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ConfigException;
import io.tickroom.server.testing.GameJar;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mode discovery: providers found by ServiceLoader, game jars from --games, and the refusals. */
class GameModesTest {
    static final Path TUG = Path.of("examples", "tug", "src", "main");

    @TempDir
    Path dir;

    static Path tugJar(Path dir) throws Exception {
        return GameJar.fromFolders(dir.resolve("tug.jar"), TUG.resolve("java"), TUG.resolve("resources"));
    }

    /** A jar with one provider {@code com.other.Modes} whose modes() body is {@code body}. */
    static Path providerJar(Path jar, String body) throws Exception {
        return GameJar.fromSources(jar, "com.other.Modes", Map.of("com.other.Modes", """
                package com.other;

                import io.tickroom.server.match.*;
                import java.util.List;

                public final class Modes implements GameModeProvider {
                    @Override
                    public List<GameMode> modes() {
                        %s
                    }

                    static final class Idle implements MatchLogic {
                        @Override public void onStart(MatchContext ctx, List<Player> players) { }
                        @Override public void onInput(MatchContext ctx, Player p, long t, com.google.protobuf.ByteString b) { }
                        @Override public void onTick(MatchContext ctx, long tick) { }
                    }
                }
                """.formatted(body)));
    }

    static GameModes discover(String games) throws Exception {
        ClassLoader loader = GameJars.open(games, GameModesTest.class.getClassLoader());
        try {
            return GameModes.discover(loader);
        } finally {
            if (loader instanceof URLClassLoader u) {
                u.close();
            }
        }
    }

    static String refusal(String games) {
        return assertThrows(ConfigException.class, () -> discover(games)).getMessage();
    }

    @Test
    void arenaIsFoundAsAProviderLikeAnyOther() throws Exception {
        GameModes modes = discover("");
        assertTrue(modes.find("arena").isPresent());
        assertTrue(modes.find("arena-duel").isPresent());
        assertTrue(modes.origin("arena").contains("io.tickroom.server.arena.ArenaModes"), modes.origin("arena"));
    }

    @Test
    void aGameJarAddsItsModesBesideArenaAndNamesWhereTheyCameFrom() throws Exception {
        Path jar = tugJar(dir);
        GameModes modes = discover(jar.toString());
        GameMode tug = modes.find("tug").orElseThrow();
        assertEquals(2, tug.minPlayers());
        assertEquals(8, tug.maxPlayers());
        assertTrue(modes.find("arena").isPresent());
        assertTrue(
                modes.describe(tug).contains("com.example.tug.TugModes in " + jar.toAbsolutePath()),
                modes.describe(tug));
        assertEquals(modes.names().size(), modes.listing().getModesCount());
    }

    @Test
    void aFolderOfJarsServesEveryJar() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("games"));
        tugJar(folder);
        providerJar(folder.resolve("other.jar"), "return List.of(GameMode.of(\"other\", 1, 4, 0, Idle::new));");
        Files.writeString(folder.resolve("notes.txt"), "not a jar: ignored");
        GameModes modes = discover(folder.toString());
        assertTrue(modes.find("tug").isPresent());
        assertFalse(modes.find("other").orElseThrow().quickMatch(), "quick match size 0: off");
    }

    @Test
    void twoModesOfOneNameRefuseToStartNamingBothJars() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("games"));
        Path tug = tugJar(folder);
        Path dup = providerJar(
                folder.resolve("tug-copy.jar"), "return List.of(GameMode.of(\"tug\", 2, 2, 2, Idle::new));");
        String m = refusal(folder.toString());
        assertTrue(m.contains("mode 'tug' is served twice"), m);
        assertTrue(
                m.contains(tug.toAbsolutePath().toString())
                        && m.contains(dup.toAbsolutePath().toString()),
                m);
        assertTrue(m.contains("--games"), m);
    }

    @Test
    void twoJarsOfOneProviderRefuseToStartNamingBoth() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("games"));
        Path v1 = GameJar.fromFolders(folder.resolve("tug-1.0.jar"), TUG.resolve("java"), TUG.resolve("resources"));
        Path v2 = GameJar.fromFolders(folder.resolve("tug-1.1.jar"), TUG.resolve("java"), TUG.resolve("resources"));
        String m = refusal(folder.toString());
        assertTrue(m.contains("game provider com.example.tug.TugModes is in two jars"), m);
        assertTrue(
                m.contains(v1.toAbsolutePath().toString())
                        && m.contains(v2.toAbsolutePath().toString()),
                m);
    }

    @Test
    void aModeNamedLikeArenaRefusesNamingTheServersOwnProvider() throws Exception {
        Path jar = providerJar(
                dir.resolve("arena-again.jar"), "return List.of(GameMode.of(\"arena\", 2, 2, 2, Idle::new));");
        String m = refusal(jar.toString());
        assertTrue(
                m.contains("io.tickroom.server.arena.ArenaModes in ")
                        && m.contains(jar.toAbsolutePath().toString()),
                m);
    }

    @Test
    void anInvalidModeRefusesNamingTheJarAndTheSetting() throws Exception {
        Path jar =
                providerJar(dir.resolve("bad.jar"), "return List.of(GameMode.of(\"Bad Name\", 2, 2, 2, Idle::new));");
        String m = refusal(jar.toString());
        assertTrue(m.startsWith("--games: com.other.Modes in " + jar.toAbsolutePath()), m);
        assertTrue(m.contains("mode.name: must be 1..32 of [a-z0-9_-]"), m);
        Path tooBig =
                providerJar(dir.resolve("big.jar"), "return List.of(GameMode.of(\"big\", 2, 5000, 2, Idle::new));");
        assertTrue(refusal(tooBig.toString()).contains("mode big maxPlayers: must be <= 4096"));
    }

    @Test
    void aProviderThatThrowsOrServesNothingRefuses() throws Exception {
        Path throwing = providerJar(dir.resolve("throws.jar"), "throw new IllegalStateException(\"no licence file\");");
        String m = refusal(throwing.toString());
        assertTrue(m.contains(throwing.toAbsolutePath().toString()) && m.contains("no licence file"), m);
        Path empty = providerJar(dir.resolve("empty.jar"), "return List.of();");
        assertTrue(refusal(empty.toString()).contains("returned no modes"));
    }

    @Test
    void gamesMustNameAJarOrAFolderWithJars() throws Exception {
        assertTrue(refusal(dir.resolve("missing.jar").toString()).contains("no such file or folder"));
        Path txt = Files.writeString(dir.resolve("game.txt"), "x");
        assertTrue(refusal(txt.toString()).contains("is not a .jar"));
        Path emptyFolder = Files.createDirectories(dir.resolve("none"));
        assertTrue(refusal(emptyFolder.toString()).startsWith("--games / TICKROOM_GAMES: folder"));
    }

    @Test
    void aGameReachingPastThePublicApiDoesNotCompile() throws Exception {
        String errors = GameJar.compileErrors(dir, Map.of("com.other.Sneaky", """
                package com.other;

                public final class Sneaky {
                    io.tickroom.server.match.MatchService matches;
                    org.eclipse.jetty.server.Server jetty;
                }
                """));
        assertTrue(errors.contains("MatchService") && errors.contains("org.eclipse.jetty"), errors);
    }
}
