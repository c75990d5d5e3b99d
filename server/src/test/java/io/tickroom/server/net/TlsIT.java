package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.Ping;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.TestNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The TLS listener, with a keystore the test generates: wss:// upgrades, https:// health. */
@Timeout(60)
class TlsIT {
    static final String PASSWORD = "tickroom-test";

    static Path keystore(Path dir) throws Exception {
        Path ks = dir.resolve("server.p12");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "tickroom",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-validity",
                        "2",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        ks.toString(),
                        "-storepass",
                        PASSWORD,
                        "-keypass",
                        PASSWORD)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool failed: " + out);
        return ks;
    }

    /** Trusts exactly the generated certificate (no trust-all). */
    static SSLContext trusting(Path ks) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(ks)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Test
    void aTlsNodeServesWssAndHttps(@TempDir Path dir) throws Exception {
        Path ks = keystore(dir);
        try (TestNode node = TestNode.start(c -> c.withNet(c.net().withTls(ks.toString(), PASSWORD)))) {
            assertTrue(node.node().playUrl().startsWith("wss://"), node.node().playUrl());
            HttpClient http = HttpClient.newBuilder().sslContext(trusting(ks)).build();
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.port() + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());

            LinkedBlockingQueue<ServerFrame> frames = new LinkedBlockingQueue<>();
            WebSocket ws = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TestNode.token("secure"))
                    .buildAsync(URI.create(node.node().playUrl()), new WebSocket.Listener() {
                        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            byte[] b = new byte[data.remaining()];
                            data.get(b);
                            partial.writeBytes(b);
                            if (last) {
                                try {
                                    frames.add(ServerFrame.parseFrom(partial.toByteArray()));
                                } catch (Exception e) {
                                    throw new AssertionError(e);
                                }
                                partial.reset();
                            }
                            w.request(1);
                            return null;
                        }
                    })
                    .get(10, TimeUnit.SECONDS);
            ServerFrame welcome = frames.poll(10, TimeUnit.SECONDS);
            assertTrue(welcome != null && welcome.hasWelcome(), String.valueOf(welcome));
            assertEquals("secure", welcome.getWelcome().getUserId());
            ws.sendBinary(
                            ByteBuffer.wrap(ClientFrame.newBuilder()
                                    .setRequestId(1)
                                    .setPing(Ping.newBuilder().setClientTimeMs(42))
                                    .build()
                                    .toByteArray()),
                            true)
                    .get(10, TimeUnit.SECONDS);
            ServerFrame pong = frames.poll(10, TimeUnit.SECONDS);
            assertTrue(pong != null && pong.hasPong() && pong.getReplyTo() == 1, String.valueOf(pong));
            ws.sendClose(1000, "bye").get(10, TimeUnit.SECONDS);
            node.awaitZeroCounts();
        }
    }
}
