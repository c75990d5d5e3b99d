package io.tickroom.server.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A node as its own process: the packaged jar ({@code target/tickroom-server.jar}, built by
 * {@code package} before the ITs run) on a free port with the test secret, as an operator runs
 * it. {@link #start} returns once the node prints its "serving" line; a test can then SIGKILL,
 * freeze or thaw it. Closing kills it if it still runs.
 */
public final class NodeProcess implements AutoCloseable {
    private static final Path JAR = Path.of("target", "tickroom-server.jar");

    private final Process process;
    private final int port;
    private final String nodeId;
    private final List<String> output;

    private NodeProcess(Process process, int port, String nodeId, List<String> output) {
        this.process = process;
        this.port = port;
        this.nodeId = nodeId;
        this.output = output;
    }

    /** How a node process that did not start ended: its exit status and everything it printed. */
    public record Exit(int status, List<String> output) {}

    /**
     * Starts a node on {@code redisUri} with key prefix {@code prefix} and the given extra flags
     * (e.g. {@code "--node-id", "doomed"}; none: the default id) and waits until it serves.
     */
    public static NodeProcess start(String redisUri, String prefix, String... flags) throws Exception {
        int port = freePort();
        Process p = launch(port, redisUri, prefix, flags);
        List<String> output = new CopyOnWriteArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null && !line.contains(" serving ")) {
            output.add(line);
        }
        if (line == null) {
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the node exited before serving: " + String.join("\n", output));
        }
        output.add(line);
        // "tickroom: node <id> serving <url> (...)"
        String id = line.substring(line.indexOf("node ") + "node ".length(), line.indexOf(" serving "));
        Thread drain = new Thread(
                () -> {
                    try {
                        String more;
                        while ((more = out.readLine()) != null) {
                            output.add(more); // keeps the pipe from filling up
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                "node-process-output");
        drain.setDaemon(true);
        drain.start();
        return new NodeProcess(p, port, id, output);
    }

    /** Starts a node expected to refuse to start; returns how it exited (fails if it serves instead). */
    public static Exit startExpectingExit(String redisUri, String prefix, String... flags) throws Exception {
        Process p = launch(freePort(), redisUri, prefix, flags);
        List<String> output = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                output.add(line);
                if (line.contains(" serving ")) {
                    p.destroyForcibly();
                    throw new AssertionError("the node started, it should have refused: " + String.join("\n", output));
                }
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the node neither served nor exited: " + String.join("\n", output));
        }
        return new Exit(p.exitValue(), output);
    }

    private static Process launch(int port, String redisUri, String prefix, String... flags) throws IOException {
        if (!Files.exists(JAR)) {
            throw new AssertionError("package the server first: " + JAR.toAbsolutePath());
        }
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--redis",
                redisUri,
                "--redis-prefix",
                prefix));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TICKROOM_JWT_SECRET", TestNode.SECRET);
        pb.environment().remove("TICKROOM_NODE_ID");
        Process p = pb.start();
        // a test JVM that ends early takes its node processes along
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "node-process-reaper"));
        return p;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The node's process id (for jcmd). */
    public long pid() {
        return process.pid();
    }

    /** The id the node registered under (from its start-up line). */
    public String nodeId() {
        return nodeId;
    }

    public URI playUri() {
        return URI.create("ws://127.0.0.1:" + port + "/ws/play");
    }

    /** Connects a player with a fresh token for {@code userId} and waits for its welcome. */
    public TestClient connect(String userId) throws Exception {
        try {
            return TestClient.connect(playUri(), TestNode.token(userId));
        } catch (AssertionError e) {
            // what the node said is the only clue left once the run is over
            List<String> said = output();
            throw new AssertionError(
                    e.getMessage() + " (node " + nodeId + (process.isAlive() ? " alive" : " gone")
                            + ", its last lines: "
                            + String.join(" | ", said.subList(Math.max(0, said.size() - 8), said.size())) + ")",
                    e);
        }
    }

    /** SIGKILL, and waits for the process to be gone: no goodbye, no clean-up. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP: the process holds its sockets and answers nothing. */
    public void freeze() throws Exception {
        signal("-STOP");
    }

    /** SIGCONT after {@link #freeze}. */
    public void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String sig) throws Exception {
        int rc = new ProcessBuilder("kill", sig, Long.toString(process.pid()))
                .start()
                .waitFor();
        if (rc != 0) {
            throw new AssertionError("kill " + sig + " failed");
        }
    }

    /** What the process printed so far. */
    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            // a frozen one too (SIGKILL reaches stopped processes; CONT first does no harm)
            new ProcessBuilder("kill", "-CONT", Long.toString(process.pid()))
                    .start()
                    .waitFor();
        }
        kill();
    }
}
