package io.tickroom.server.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/run-cluster} as a newcomer runs it: its own ports and node count, "ready" only
 * once every node answers {@code /health}, and a stop that takes the nodes down before Redis, so
 * that no node logs a Redis error on a clean stop.
 */
@Timeout(120)
class RunClusterIT {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void startsTheNodesItIsToldOnItsPortsAndStopsThemBeforeRedis(@TempDir Path logs) throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertTrue(Files.exists(root.resolve("server/target/tickroom-server.jar")), "package the server first");
        int base = freePort();
        // two consecutive free ports: the script takes base and base+1
        while (!portFree(base + 1)) {
            base = freePort();
        }
        int redisPort = freePort();
        ProcessBuilder pb = new ProcessBuilder(
                        "bash",
                        "scripts/run-cluster",
                        "--nodes",
                        "2",
                        "--base-port",
                        Integer.toString(base),
                        "--redis-port",
                        Integer.toString(redisPort),
                        "--",
                        "--node-ttl-ms",
                        "3000")
                .directory(root.toFile())
                .redirectErrorStream(true);
        pb.environment().put("TICKROOM_LOG_DIR", logs.toString());
        pb.environment().remove("REDIS_URL");
        Process p = pb.start();
        List<String> out = new ArrayList<>();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                out.add(line);
                if (line.contains("ready")) {
                    break;
                }
            }
            assertTrue(line != null, "run-cluster ended before ready: " + out);
            HttpClient http = HttpClient.newHttpClient();
            for (int port : new int[] {base, base + 1}) {
                HttpResponse<String> h = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, h.statusCode(), "ready means every node answers /health: " + h.body());
            }
            assertTrue(
                    line.contains("ws://127.0.0.1:" + base + "/ws/play,ws://127.0.0.1:" + (base + 1) + "/ws/play"),
                    line);

            // SIGTERM, as a supervisor would (Process.destroy would also close the output we still read)
            assertEquals(
                    0,
                    new ProcessBuilder("kill", "-TERM", Long.toString(p.pid()))
                            .start()
                            .waitFor());
            while ((line = r.readLine()) != null) {
                out.add(line);
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "run-cluster did not stop");
            assertTrue(out.stream().anyMatch(l -> l.contains("run-cluster: stopped")), out.toString());
            for (int i = 1; i <= 2; i++) {
                List<String> log = Files.readAllLines(logs.resolve("tickroom-node-" + i + ".log"));
                assertTrue(log.stream().anyMatch(l -> l.contains("stopped")), "node-" + i + " stopped cleanly: " + log);
                List<String> redisErrors = log.stream()
                        .filter(l -> l.toLowerCase(Locale.ROOT).contains("redis")
                                && (l.contains("WARN") || l.contains("ERROR")))
                        .toList();
                assertEquals(List.of(), redisErrors, "node-" + i + " logged Redis trouble on a clean stop");
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port)) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
