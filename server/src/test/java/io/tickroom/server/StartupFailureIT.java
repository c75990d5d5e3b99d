package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.testing.TestNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as an operator meets it when it cannot start: one line naming the cause and
 * the setting, no stack trace, exit status 2.
 */
@Timeout(120)
class StartupFailureIT {
    static final Path JAR = Path.of("target", "tickroom-server.jar");

    record Exit(int status, List<String> lines) {}

    static Exit run(String... flags) throws Exception {
        assertTrue(Files.exists(JAR), "package the server first: " + JAR.toAbsolutePath());
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "--host",
                "127.0.0.1"));
        cmd.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TICKROOM_JWT_SECRET", TestNode.SECRET);
        pb.environment().remove("TICKROOM_CONFIG");
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the node exited: " + out);
            return new Exit(p.exitValue(), out.lines().filter(l -> !l.isBlank()).toList());
        } finally {
            p.destroyForcibly();
        }
    }

    static void assertOneLine(Exit e, String... mentions) {
        assertEquals(2, e.status(), String.join("\n", e.lines()));
        assertEquals(1, e.lines().size(), "one line, no stack trace: " + String.join("\n", e.lines()));
        for (String m : mentions) {
            assertTrue(e.lines().get(0).contains(m), m + " in: " + e.lines().get(0));
        }
    }

    @Test
    void aTakenPortIsOneLineNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertOneLine(
                    run("--port", Integer.toString(taken.getLocalPort())),
                    "--port",
                    "127.0.0.1:" + taken.getLocalPort(),
                    "address already in use");
        }
    }

    @Test
    void aTakenAdminPortIsOneLineNamingTheAdminPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertOneLine(
                    run("--port", "0", "--admin-port", Integer.toString(taken.getLocalPort())),
                    "--admin-port",
                    "address already in use");
        }
    }

    @Test
    void aKeystoreThatIsMissingOrNotAKeystoreIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        assertOneLine(
                run("--port", "0", "--tls-keystore", dir.resolve("missing.p12").toString()),
                "--tls-keystore",
                "missing.p12");
        Path notAKeystore = Files.writeString(dir.resolve("garbage.p12"), "not a keystore\n");
        assertOneLine(
                run("--port", "0", "--tls-keystore", notAKeystore.toString(), "--tls-password", "x"),
                "--tls-keystore",
                "garbage.p12");
    }

    @Test
    void aRedisWithNothingListeningIsOneLineNamingRedis() throws Exception {
        int nothing;
        try (ServerSocket s = new ServerSocket(0)) {
            nothing = s.getLocalPort();
        }
        assertOneLine(
                run("--port", "0", "--redis", "redis://127.0.0.1:" + nothing),
                "--redis",
                "cannot reach redis://127.0.0.1:" + nothing);
    }

    @Test
    void aBadConfigFileIsOneLineNamingTheFileOrTheKey(@TempDir Path dir) throws Exception {
        assertOneLine(
                run("--port", "0", "--config", dir.resolve("absent.properties").toString()),
                "--config",
                "absent.properties");
        Path unknown = Files.writeString(dir.resolve("bad.properties"), "max-matchez=5\n");
        assertOneLine(run("--port", "0", "--config", unknown.toString()), "--config", "max-matchez");
        Path badValue = Files.writeString(dir.resolve("value.properties"), "max-matches=lots\n");
        assertOneLine(run("--port", "0", "--config", badValue.toString()), "--max-matches", "lots");
        Path outOfRange = Files.writeString(dir.resolve("range.properties"), "max-chat-chars=0\n");
        assertOneLine(run("--port", "0", "--config", outOfRange.toString()), "--max-chat-chars");
    }

    @Test
    void aBadFlagIsOneLineNotTheWholeHelp() throws Exception {
        assertOneLine(run("--port", "eighty"), "--port", "eighty");
        assertOneLine(run("--no-such-flag"), "--no-such-flag");
    }
}
