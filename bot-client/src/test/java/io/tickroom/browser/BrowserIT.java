package io.tickroom.browser;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The pages as a player and an operator see them: headless Chromium ({@code browser-test/},
 * puppeteer-core driving Debian's chromium) against a node process started from the server jar
 * with the development secret, as {@code scripts/run-server} starts it — so what is tested is
 * what the jar ships. Afterwards the node's log holds none of the tokens the pages used.
 */
@Timeout(240)
class BrowserIT {
    static final String DEV_SECRET = io.tickroom.server.net.WebSite.DEV_SECRET;
    static final Path JAR =
            Path.of("../server/target/tickroom-server.jar").toAbsolutePath().normalize();
    static final Path ARTIFACTS = Path.of("target/browser-artifacts").toAbsolutePath();

    static String chromium() {
        String env = System.getenv("CHROMIUM");
        for (String c :
                new String[] {env, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"}) {
            if (c != null && new File(c).canExecute()) {
                return c;
            }
        }
        throw new AssertionError("Chromium is not installed; the browser tests need it. "
                + "Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM, and rerun.");
    }

    @Test
    void twoPlayersMeetPlayAndResumeInChromiumAndTheOperatorConsoleSeesAndKicks() throws Exception {
        NodeScripts.ready();
        String chromium = chromium();
        assertTrue(Files.exists(JAR), "the server jar is built by the reactor before this test: " + JAR);
        Files.createDirectories(ARTIFACTS);
        Files.deleteIfExists(ARTIFACTS.resolve("tokens.txt"));
        Path log = ARTIFACTS.resolve("node.log");
        // Tickroom's own loggers at debug: not even a debug line may carry a token
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dorg.slf4j.simpleLogger.log.io.tickroom=debug",
                        "-jar",
                        JAR.toString(),
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--node-id",
                        "web-1",
                        "--web",
                        "on",
                        "--drain-match-limit-ms",
                        "1000",
                        "--handshakes-per-second-per-ip",
                        "100000",
                        "--handshake-burst-per-ip",
                        "100000")
                .redirectErrorStream(true);
        pb.environment().put("TICKROOM_JWT_SECRET", DEV_SECRET);
        Process node = pb.start();
        StringBuilder output = new StringBuilder();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    Pattern serving = Pattern.compile("serving ws://127\\.0\\.0\\.1:(\\d+)/ws/play");
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line; (line = r.readLine()) != null; ) {
                            synchronized (output) {
                                output.append(line).append('\n');
                            }
                            Matcher m = serving.matcher(line);
                            if (m.find()) {
                                port.complete(Integer.parseInt(m.group(1)));
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the process ended
                    }
                    port.completeExceptionally(new AssertionError("the node exited before serving:\n" + output));
                },
                "node-log");
        reader.setDaemon(true);
        reader.start();
        try {
            String base = "http://127.0.0.1:" + port.get(30, TimeUnit.SECONDS);
            List<String> command = new java.util.ArrayList<>(List.of("node", "--test"));
            command.addAll(NodeScripts.testFiles("browser-test"));
            NodeScripts.run(
                    Duration.ofMinutes(3),
                    Map.of("TICKROOM_HTTP_URL", base, "CHROMIUM", chromium, "ARTIFACTS", ARTIFACTS.toString()),
                    command.toArray(String[]::new));
        } finally {
            // SIGTERM: the node drains and stops (through its handle: Process.destroy would close our end of its
            // output)
            node.toHandle().destroy();
            if (!node.waitFor(20, TimeUnit.SECONDS)) {
                node.destroyForcibly();
            }
            reader.join(5_000);
            synchronized (output) {
                output.append("(exit ").append(node.exitValue()).append(")\n");
                Files.writeString(log, output);
            }
        }
        String logged = Files.readString(log);
        List<String> tokens = Files.exists(ARTIFACTS.resolve("tokens.txt"))
                ? Files.readAllLines(ARTIFACTS.resolve("tokens.txt")).stream()
                        .filter(t -> !t.isBlank())
                        .toList()
                : List.of();
        assertFalse(tokens.isEmpty(), "the pages reported the tokens they used");
        for (String token : tokens) {
            assertFalse(logged.contains(token), "a token reached the node's log (" + log + ")");
            // the signature alone is enough to be a leak
            assertFalse(
                    logged.contains(token.substring(token.lastIndexOf('.') + 1)),
                    "a token's signature reached the log");
        }
        assertFalse(logged.contains("access_token="), "no URL with a token in the log");
    }
}
