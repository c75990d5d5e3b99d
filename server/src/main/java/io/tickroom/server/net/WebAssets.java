package io.tickroom.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The pages' files, read once from the jar ({@code io/tickroom/server/web/}) into memory. Only
 * the names listed here are served, so no request path ever reaches the class path.
 */
final class WebAssets {
    record Asset(byte[] bytes, String contentType) {}

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "console.html", "text/html; charset=utf-8",
            "style.css", "text/css; charset=utf-8",
            "demo.js", "text/javascript; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8");

    private final Map<String, Asset> assets;

    private WebAssets(Map<String, Asset> assets) {
        this.assets = Map.copyOf(assets);
    }

    static WebAssets load() {
        Map<String, Asset> found = new HashMap<>();
        TYPES.forEach((name, type) -> {
            try (InputStream in = WebAssets.class.getResourceAsStream("/io/tickroom/server/web/" + name)) {
                if (in != null) {
                    found.put(name, new Asset(in.readAllBytes(), type));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read web asset " + name, e);
            }
        });
        return new WebAssets(found);
    }

    /** The asset of that name, or null. */
    Asset get(String name) {
        return assets.get(name);
    }
}
