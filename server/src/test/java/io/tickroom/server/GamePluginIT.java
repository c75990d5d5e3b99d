package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.ListModes;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.MatchEnded;
import io.tickroom.protocol.v1.MatchFound;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.ModeInfo;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.GameJar;
import io.tickroom.server.testing.Games;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A studio's game on the packaged server: the README's example game (server/examples/tug), compiled
 * against the public game API alone into a jar, served by the real server process started with
 * {@code --games}, and played by two real WebSocket clients; and the refusal to start when two
 * providers serve one mode name.
 */
@Timeout(90)
class GamePluginIT {
    static final Path JAR = Path.of("target", "tickroom-server.jar");
    static final Path TUG = Path.of("examples", "tug", "src", "main");

    @TempDir
    Path dir;

    private Process process;
    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (TestClient c : clients) {
            c.close();
        }
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the packaged server; its merged output lines go to {@link #output}. */
    private void launch(Map<String, String> env, String... flags) throws Exception {
        assertTrue(Files.exists(JAR), "package the server first: " + JAR.toAbsolutePath());
        List<String> cmd = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TICKROOM_JWT_SECRET", TestNode.SECRET);
        pb.environment().remove("TICKROOM_GAMES");
        pb.environment().putAll(env);
        process = pb.start();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            output.add(line);
                        }
                    } catch (java.io.IOException e) {
                        // the process went
                    }
                },
                "server-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Waits for an output line matching {@code match}; fails with everything seen if the server exits first. */
    private String awaitLine(Predicate<String> match) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = output.poll(200, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.add(line);
                if (match.test(line)) {
                    return line;
                }
            } else if (!process.isAlive() && output.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("no such line; the server printed:\n" + String.join("\n", seen));
    }

    private TestClient connect(int port, String user) throws Exception {
        TestClient c = TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/play"), TestNode.token(user));
        clients.add(c);
        return c;
    }

    @Test
    void aGameJarOnGamesIsServedAndPlayedByTwoClients() throws Exception {
        Path tug = GameJar.fromFolders(dir.resolve("tug.jar"), TUG.resolve("java"), TUG.resolve("resources"));
        int port = freePort();
        launch(
                Map.of(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--node-id",
                "plugin-test",
                "--games",
                tug.toString());
        String logged = awaitLine(l -> l.contains("serves game mode tug"));
        assertTrue(
                logged.contains("tug (2-8 players, 20 Hz, quick match of 2) from com.example.tug.TugModes in "
                        + tug.toAbsolutePath()),
                logged);
        awaitLine(l -> l.contains("serving"));
        assertTrue(seen.stream().anyMatch(l -> l.contains("serves game mode arena ")), "arena is logged too");

        TestClient alice = connect(port, "alice");
        TestClient bob = connect(port, "bob");
        assertTrue(
                alice.welcome().getWelcome().getModesList().containsAll(List.of("tug", "arena")),
                alice.welcome().toString());
        ModeInfo info = bob
                .request(ClientFrame.newBuilder().setListModes(ListModes.getDefaultInstance()))
                .getModeList()
                .getModesList()
                .stream()
                .filter(m -> m.getName().equals("tug"))
                .findFirst()
                .orElseThrow();
        assertEquals(
                ModeInfo.newBuilder()
                        .setName("tug")
                        .setMinPlayers(2)
                        .setMaxPlayers(8)
                        .setTickRateHz(20)
                        .setQuickMatchPlayers(2)
                        .setQuickMatch(true)
                        .build(),
                info);

        // a lobby of the plugin's mode with attributes; no max_players: the mode's 8
        LobbyState lobby = alice.request(ClientFrame.newBuilder()
                        .setCreateLobby(CreateLobby.newBuilder()
                                .setName("tug night")
                                .setMode("tug")
                                .putAttributes("rope", "3")
                                .putAttributes("region", "eu")))
                .getLobbyState();
        assertEquals(8, lobby.getMaxPlayers());
        assertEquals(Map.of("rope", "3", "region", "eu"), lobby.getAttributesMap());

        // bob browses by a filter: eu finds it, us does not
        var eu = bob.request(ClientFrame.newBuilder()
                        .setListLobbies(ListLobbies.newBuilder().setMode("tug").putFilter("region", "eu")))
                .getLobbyList();
        assertEquals(
                List.of(lobby.getLobbyId()),
                eu.getLobbiesList().stream().map(l -> l.getLobbyId()).toList());
        assertEquals(Map.of("rope", "3", "region", "eu"), eu.getLobbies(0).getAttributesMap());
        assertEquals(
                0,
                bob.request(ClientFrame.newBuilder()
                                .setListLobbies(
                                        ListLobbies.newBuilder().setMode("tug").putFilter("region", "us")))
                        .getLobbyList()
                        .getLobbiesCount());

        assertTrue(bob.request(Req.join(lobby.getLobbyId())).hasLobbyState());
        assertTrue(alice.request(Req.ready(lobby.getLobbyId(), true)).hasOk());
        assertTrue(bob.request(Req.ready(lobby.getLobbyId(), true)).hasOk());
        assertTrue(alice.request(Games.start(lobby.getLobbyId())).hasOk());
        MatchFound fa = alice.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
        MatchFound fb = bob.awaitPush(ServerFrame::hasMatchFound).getMatchFound();
        assertEquals("tug", fa.getMode());
        assertEquals(
                "tug",
                alice.request(Games.claim(fa.getSeatToken())).getMatchJoined().getMode());
        assertEquals(
                1, bob.request(Games.claim(fb.getSeatToken())).getMatchJoined().getSeat());

        // the game's own snapshots; the lobby's "rope" attribute is the game's setting
        assertEquals(
                "rope 0 of 3",
                bob.awaitPush(ServerFrame::hasMatchSnapshot)
                        .getMatchSnapshot()
                        .getPayload()
                        .toStringUtf8());
        for (int i = 0; i < 3; i++) {
            ServerFrame ok = alice.request(ClientFrame.newBuilder()
                    .setMatchInput(
                            MatchInput.newBuilder().setMatchId(fa.getMatchId()).setPayload(ByteString.EMPTY)));
            assertTrue(ok.hasOk(), ok::toString);
        }
        bob.awaitPush(f -> f.hasMatchSnapshot()
                && f.getMatchSnapshot().getPayload().toStringUtf8().equals("rope -3 of 3"));
        MatchEnded ended = bob.awaitPush(ServerFrame::hasMatchEnded).getMatchEnded();
        assertEquals("left team won", ended.getReason());
        assertEquals("alice", ended.getResults(0).getUserId());
        assertEquals(3, ended.getResults(0).getScore());
        assertEquals(1, ended.getResults(0).getRank());
        assertEquals(2, ended.getResults(1).getRank());
        assertTrue(process.isAlive());
    }

    @Test
    void twoProvidersOfOneModeNameStopTheNodeNamingBothJars() throws Exception {
        Path games = Files.createDirectories(dir.resolve("games"));
        Path tug = GameJar.fromFolders(games.resolve("tug.jar"), TUG.resolve("java"), TUG.resolve("resources"));
        Path copy = GameJar.fromSources(
                games.resolve("tug-copy.jar"), "com.copy.CopyModes", Map.of("com.copy.CopyModes", """
                package com.copy;

                import io.tickroom.server.match.GameMode;
                import io.tickroom.server.match.GameModeProvider;
                import java.util.List;

                public final class CopyModes implements GameModeProvider {
                    @Override
                    public List<GameMode> modes() {
                        return List.of(GameMode.of("tug", 2, 2, 2, () -> null));
                    }
                }
                """));
        // through the environment variable this time (the flag and the file key are the same setting)
        launch(
                Map.of("TICKROOM_GAMES", games.toString()),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(freePort()));
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the node should refuse to start");
        assertEquals(2, process.exitValue(), "bad configuration");
        String refusal = awaitLine(l -> l.contains("bad configuration"));
        assertTrue(refusal.contains("mode 'tug' is served twice"), refusal);
        assertTrue(refusal.contains(tug.toAbsolutePath().toString()), refusal);
        assertTrue(refusal.contains(copy.toAbsolutePath().toString()), refusal);
        assertTrue(refusal.contains("--games"), refusal);
        assertFalse(seen.stream().anyMatch(l -> l.contains("serving")), "it never served");
    }
}
