package io.tickroom.client.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.config.ClusterConfig;
import io.tickroom.server.testing.RedisServer;
import io.tickroom.server.testing.TestNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's minimal Java client ({@link MinimalClient}), run as a newcomer runs it: two
 * {@code java} processes against two real nodes on a real redis-server, one on each, so one of
 * them follows its match over a second connection.
 */
@Timeout(120)
class MinimalClientIT {
    private static final Pattern SNAPSHOTS = Pattern.compile("^snapshots (\\d+), x (\\S+) -> (\\S+)$");

    @Test
    void twoMinimalClientsPlayADuelAcrossTwoNodesThenLeave() throws Exception {
        try (RedisServer redis = RedisServer.start();
                TestNode a =
                        TestNode.start(c -> c.withNodeId("ex-a").withCluster(ClusterConfig.redis(redis.uri(), "ex:")));
                TestNode b = TestNode.start(
                        c -> c.withNodeId("ex-b").withCluster(ClusterConfig.redis(redis.uri(), "ex:")))) {
            String alice = "alice-" + ProcessHandle.current().pid();
            String bob = "bob-" + ProcessHandle.current().pid();
            Example first = Example.start(a.playUri().toString(), alice);
            Example second = null;
            try {
                String lobbyId =
                        first.awaitLine(Pattern.compile("^lobby (\\S+)$")).group(1);
                second = Example.start(b.playUri().toString(), bob, lobbyId);
                List<String> aliceSaid = first.finish();
                List<String> bobSaid = second.finish();

                assertEquals("welcome " + alice, aliceSaid.get(0));
                assertEquals("welcome " + bob, bobSaid.get(0));
                // bob prints "lobby" on his main thread once the join is answered; alice's chat may be
                // printed by the client's thread first (she chats as soon as she sees bob join)
                int lobbyLine = bobSaid.indexOf("lobby " + lobbyId);
                assertTrue(lobbyLine >= 1, String.join("\n", bobSaid));
                assertTrue(
                        bobSaid.subList(1, lobbyLine).stream().allMatch(l -> l.startsWith("chat ")),
                        "only chat lines may come before the join's: " + bobSaid);
                for (List<String> said : List.of(aliceSaid, bobSaid)) {
                    String all = String.join("\n", said);
                    assertTrue(said.contains("chat " + alice + ": hello from " + alice), all);
                    assertTrue(said.contains("chat " + bob + ": hello from " + bob), all);
                    // the match runs on alice's node (the host's: a one-one tie): bob plays over a second connection
                    String onA = "match \\S+ on " + Pattern.quote(a.playUri().toString());
                    assertTrue(said.stream().anyMatch(l -> l.matches(onA)), all);
                    Matcher played = SNAPSHOTS.matcher(said.get(said.size() - 2));
                    assertTrue(played.matches(), all);
                    assertEquals("20", played.group(1));
                    assertTrue(
                            Float.parseFloat(played.group(3)) > Float.parseFloat(played.group(2)),
                            "its inputs moved it: " + all);
                    assertEquals("left", said.get(said.size() - 1));
                }
            } finally {
                first.kill();
                if (second != null) {
                    second.kill();
                }
            }
            a.awaitZeroCounts();
            b.awaitZeroCounts();
        }
    }

    /** One {@code java MinimalClient} process: its stdout lines as they come, its stderr in a file. */
    private static final class Example {
        private final Process process;
        private final Path stderr;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        private Example(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            reader = new Thread(this::read, "example-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Example start(String url, String userId, String... args) throws IOException {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    MinimalClient.class.getName()));
            command.addAll(List.of(args));
            Path stderr = Files.createTempFile("minimal-client-", ".err");
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
            pb.environment().put("TICKROOM_URL", url);
            pb.environment().put("TICKROOM_TOKEN", TestNode.token(userId));
            return new Example(pb.start(), stderr);
        }

        private void read() {
            try (BufferedReader in =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (this) {
                        lines.add(line);
                        notifyAll();
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        /** Waits for a line matching {@code pattern} (10 s), failing with what the process said. */
        synchronized Matcher awaitLine(Pattern pattern) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (int seen = 0; ; ) {
                for (; seen < lines.size(); seen++) {
                    Matcher m = pattern.matcher(lines.get(seen));
                    if (m.matches()) {
                        return m;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !reader.isAlive())) {
                    throw new AssertionError(
                            "no line " + pattern + " within 10 s: " + lines + "\n" + Files.readString(stderr));
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }

        /** Waits for the process to exit 0 (30 s) and returns its lines. */
        List<String> finish() throws Exception {
            boolean exited = process.waitFor(30, TimeUnit.SECONDS);
            reader.join(5_000);
            synchronized (this) {
                String said = lines + "\n" + Files.readString(stderr);
                assertTrue(exited, "did not finish within 30 s: " + said);
                assertEquals(0, process.exitValue(), said);
                return List.copyOf(lines);
            }
        }

        void kill() throws IOException {
            process.destroyForcibly();
            Files.deleteIfExists(stderr);
        }
    }
}
