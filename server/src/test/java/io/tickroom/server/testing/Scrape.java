package io.tickroom.server.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** One scrape of a node's {@code /metrics}, parsed from the Prometheus text format. */
public final class Scrape {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** "name{labels}" → value, for every sample line. */
    private final Map<String, Double> samples = new LinkedHashMap<>();

    private final String contentType;

    private Scrape(String body, String contentType) {
        this.contentType = contentType;
        for (String line : body.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int cut = line.lastIndexOf(' ');
            samples.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
        }
    }

    public static Scrape of(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode());
        }
        return new Scrape(r.body(), r.headers().firstValue("Content-Type").orElse(""));
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The sum of the samples of {@code name} whose labels contain every {@code label="value"}
     * given; fails when there is no such sample.
     */
    public double value(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (Map.Entry<String, Double> e : samples.entrySet()) {
            String key = e.getKey();
            String n = key.contains("{") ? key.substring(0, key.indexOf('{')) : key;
            if (!n.equals(name)) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= key.contains(l);
            }
            if (all) {
                sum += e.getValue();
                found = true;
            }
        }
        if (!found) {
            throw new AssertionError("no sample " + name + " " + String.join(",", labels) + " in /metrics");
        }
        return sum;
    }

    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }
}
