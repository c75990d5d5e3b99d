package io.tickroom.server.testing;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, Debian's package) the test starts on a free
 * loopback port, scraping the given targets every second, with its data in a temporary folder;
 * it dies with the test JVM.
 */
public final class PrometheusServer implements AutoCloseable {
    public static final String JOB = "tickroom";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process process;
    private final int port;
    private final Path dir;

    private PrometheusServer(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Where Debian installs it; null when it is not installed. */
    public static File binary() {
        for (String candidate : new String[] {"/usr/bin/prometheus", "/usr/local/bin/prometheus"}) {
            File f = new File(candidate);
            if (f.canExecute()) {
                return f;
            }
        }
        return null;
    }

    /** Starts it scraping {@code targets} ("127.0.0.1:PORT") every second and waits until it is ready. */
    public static PrometheusServer start(List<String> targets) throws Exception {
        File binary = binary();
        if (binary == null) {
            throw new AssertionError("prometheus is not installed (Debian/Ubuntu: apt-get install -y prometheus)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("tickroom-prometheus");
        StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                + "scrape_configs:\n  - job_name: " + JOB + "\n    static_configs:\n      - targets: [");
        config.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()))
                .append("]\n");
        Files.writeString(dir.resolve("prometheus.yml"), config);
        Process p = new ProcessBuilder(
                        binary.getPath(),
                        "--config.file=" + dir.resolve("prometheus.yml"),
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port,
                        "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "prometheus-reaper"));
        PrometheusServer server = new PrometheusServer(p, port, dir);
        Await.until(
                () -> server.get("/-/ready") == 200 || !p.isAlive(),
                Duration.ofSeconds(30),
                () -> "prometheus not ready within 30 s: " + server.log());
        if (!p.isAlive()) {
            throw new AssertionError("prometheus exited: " + server.log());
        }
        return server;
    }

    private int get(String path) {
        try {
            return HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(2))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    /** The answer of an instant query ({@code /api/v1/query}), parsed: {@code status}, {@code data}, {@code error}. */
    public Map<String, Object> query(String promql) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                                + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Yaml().load(r.body());
    }

    /** The series an instant query returns (empty when none, or when the query failed). */
    @SuppressWarnings("unchecked")
    public List<Object> series(String promql) throws Exception {
        Map<String, Object> answer = query(promql);
        if (!"success".equals(answer.get("status"))) {
            return List.of();
        }
        return (List<Object>) ((Map<String, Object>) answer.get("data")).get("result");
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (java.io.IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
