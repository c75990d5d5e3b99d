package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.testing.Await;
import io.tickroom.server.testing.DeployFiles;
import io.tickroom.server.testing.TestNode;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The deployment files' commands run for real: the systemd unit's exact {@code ExecStart=} with the
 * built jar in place of the installed one, the Dockerfile's health check against it, the admin CLI
 * as its own process, SIGTERM; and {@code systemd-analyze verify} on the unit where it exists.
 */
@Timeout(90)
class DeployUnitIT {
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static Path jar() {
        Path jar = Path.of("target", "tickroom-server.jar").toAbsolutePath();
        assertTrue(Files.exists(jar), "package the server first: " + jar);
        return jar;
    }

    /** The unit's ExecStart= split into words, the JVM and the jar replaced by this build's. */
    static List<String> execStart() throws Exception {
        List<String> words = new ArrayList<>();
        for (String w : DeployFiles.one(DeployFiles.unit("server/deploy/tickroom.service"), "Service", "ExecStart")
                .split(" ")) {
            words.add(w.equals("/usr/bin/java") ? java() : w.equals(DeployFilesTest.JAR) ? jar().toString() : w);
        }
        assertEquals(java(), words.get(0), "the unit starts /usr/bin/java");
        assertTrue(words.contains(jar().toString()), "the unit runs " + DeployFilesTest.JAR);
        return words;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int healthStatus(int port) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Runs the Dockerfile's HEALTHCHECK command (exec form) with the node's port in its environment. */
    static int dockerHealthCheck(int port) throws Exception {
        List<DeployFiles.Instruction> checks = DeployFiles.dockerfile("server/deploy/Dockerfile").stream()
                .filter(i -> i.keyword().equals("HEALTHCHECK"))
                .toList();
        List<String> command = DeployFilesTest.execForm(checks.get(0), "CMD");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("TICKROOM_PORT", Integer.toString(port));
        Process p = pb.start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the health check command returns");
        return p.exitValue();
    }

    @Test
    void theUnitsCommandLineServesHealthAnswersTheAdminCliAndExitsOnSigterm() throws Exception {
        int port = freePort();
        Path log = Files.createTempFile("tickroom-unit", ".log");
        ProcessBuilder pb =
                new ProcessBuilder(execStart()).redirectErrorStream(true).redirectOutput(log.toFile());
        // what /etc/tickroom/tickroom.env would hold
        pb.environment()
                .putAll(Map.of(
                        "TICKROOM_JWT_SECRET",
                        TestNode.SECRET,
                        "TICKROOM_HOST",
                        "127.0.0.1",
                        "TICKROOM_PORT",
                        Integer.toString(port),
                        "TICKROOM_NODE_ID",
                        "unit-node"));
        Process node = pb.start();
        try {
            Await.until(
                    () -> healthStatus(port) == 200 || !node.isAlive(),
                    Duration.ofSeconds(30),
                    () -> "no /health 200 within 30 s");
            assertTrue(node.isAlive(), () -> "the node exited: " + read(log));
            assertEquals(0, dockerHealthCheck(port), "the image's health check passes against a serving node");

            Path cliOut = Files.createTempFile("tickroom-admin", ".out");
            ProcessBuilder admin = new ProcessBuilder(
                            java(), "-jar", jar().toString(), "admin", "--url", "ws://127.0.0.1:" + port, "nodes")
                    .redirectErrorStream(true)
                    .redirectOutput(cliOut.toFile());
            admin.environment().put("TICKROOM_JWT_SECRET", TestNode.SECRET);
            Process cli = admin.start();
            assertTrue(cli.waitFor(20, TimeUnit.SECONDS), "the admin CLI exits by itself");
            assertEquals(0, cli.exitValue(), () -> read(cliOut));
            assertTrue(read(cliOut).startsWith("NODE "), read(cliOut));
            assertTrue(read(cliOut).contains("unit-node *"), read(cliOut));

            node.destroy(); // SIGTERM, as systemctl stop sends (KillSignal=SIGTERM)
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node exits after SIGTERM");
            assertEquals(143, node.exitValue(), "the exit status the unit lists in SuccessExitStatus");
            assertTrue(read(log).contains("unit-node"), read(log));
            assertNotEquals(0, dockerHealthCheck(port), "the health check fails once the node is gone");
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void systemdAnalyzeVerifiesTheUnit() throws Exception {
        File analyze = new File("/usr/bin/systemd-analyze");
        assertTrue(analyze.canExecute(), "systemd-analyze is not installed: apt-get install -y systemd");
        // the JVM path is checked to exist: point it at this machine's
        Path unit = Files.createTempDirectory("tickroom-unit").resolve("tickroom.service");
        Files.writeString(
                unit, DeployFiles.read("server/deploy/tickroom.service").replace("/usr/bin/java", java()));
        Process p = new ProcessBuilder(analyze.getPath(), "verify", unit.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out.strip(), "no warnings: an unknown or misspelt key is only warned about");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
