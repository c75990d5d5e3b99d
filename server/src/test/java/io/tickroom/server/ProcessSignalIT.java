package io.tickroom.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The packaged jar as an operator runs it: start, serve, SIGTERM, goodbye, exit. */
@Timeout(60)
class ProcessSignalIT {

    @Test
    void sigtermSaysGoodbyeClosesWith1001AndExitsPromptly() throws Exception {
        Path jar = Path.of("target", "tickroom-server.jar");
        assertTrue(Files.exists(jar), "package the server first: " + jar.toAbsolutePath());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--node-id",
                "signal-test");
        pb.environment().put("TICKROOM_JWT_SECRET", TestNode.SECRET);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.contains("serving")) {
                // wait for the start-up line
            }
            assertTrue(line != null, "server exited before serving");
            TestClient c =
                    TestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/play"), TestNode.token("alice"));
            long t0 = System.nanoTime();
            p.destroy(); // SIGTERM
            TestClient.CloseStatus st = c.awaitClose();
            assertEquals(CloseCodes.GOING_AWAY, st.code());
            List<ServerFrame> pushes = c.drainPushes();
            assertTrue(pushes.stream().anyMatch(ServerFrame::hasGoodbye), pushes.toString());
            assertTrue(p.waitFor(15, TimeUnit.SECONDS), "server did not exit within 15 s of SIGTERM");
            assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15));
        } finally {
            p.destroyForcibly();
        }
    }
}
