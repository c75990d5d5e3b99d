package io.tickroom.server.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.server.auth.TokenVerifier;
import io.tickroom.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The web pages' HTTP side over a real listener: CSP, the admin-only console data, the dev-only token endpoint, --web off. */
@Timeout(60)
class WebPagesIT {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> get(TestNode node, String path, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(TestNode node, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pagesAndAssetsAreServedWithARestrictiveContentSecurityPolicy() throws Exception {
        try (TestNode node = TestNode.start()) {
            for (String path : List.of("/", "/console")) {
                HttpResponse<String> r = get(node, path, null);
                assertEquals(200, r.statusCode(), path);
                assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"), path);
                String csp = r.headers().firstValue("Content-Security-Policy").orElse("");
                assertTrue(
                        csp.contains("default-src 'none'")
                                && csp.contains("script-src 'self'")
                                && csp.contains("frame-ancestors 'none'")
                                && !csp.contains("unsafe-inline")
                                && !csp.contains("unsafe-eval"),
                        path + ": " + csp);
                assertTrue(csp.contains("connect-src 'self' ws://127.0.0.1:" + node.port()), csp);
                assertEquals(
                        "nosniff",
                        r.headers().firstValue("X-Content-Type-Options").orElse(""));
            }
            for (String asset : List.of("/web/demo.js", "/web/console.js")) {
                HttpResponse<String> js = get(node, asset, null);
                assertEquals(200, js.statusCode(), asset);
                assertTrue(js.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
            }
            assertEquals(404, get(node, "/web/../simplelogger.properties", null).statusCode());
            assertEquals(404, get(node, "/web/nothing.js", null).statusCode());
            assertEquals(200, get(node, "/health", null).statusCode(), "the rest still reaches /health");
        }
    }

    @Test
    void theConsoleDataNeedsAnAdminTokenOnEveryCall() throws Exception {
        try (TestNode node = TestNode.start()) {
            HttpResponse<String> none = get(node, "/console/api/stats", null);
            assertEquals(401, none.statusCode());
            assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
            assertEquals(
                    401, get(node, "/console/api/stats", "forged.token.here").statusCode());
            assertEquals(
                    403,
                    get(node, "/console/api/stats", TestNode.token("player")).statusCode());
            HttpResponse<String> ok = get(node, "/console/api/stats", TestNode.token("root", List.of("admin")));
            assertEquals(200, ok.statusCode());
            assertTrue(
                    ok.body().contains("\"node\":\"test-node\"") && ok.body().contains("\"lateness_p99_us\":["),
                    ok.body());
            assertTrue(ok.body().contains("\"nodes\":[{\"node_id\":\"test-node\""), ok.body());
        }
    }

    @Test
    void devTokensExistOnlyWithTheDevelopmentSecret() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertEquals(404, post(node, "/dev/token?user=alice").statusCode(), "not with another secret");
            assertTrue(get(node, "/web/info.json", null).body().contains("\"dev_tokens\":false"));
        }
        try (TestNode dev = TestNode.start(c -> new io.tickroom.server.config.ServerConfig(
                c.nodeId(), WebSite.DEV_SECRET, c.net(), c.limits(), c.lobby(), c.match(), c.cluster(), c.session()))) {
            assertTrue(get(dev, "/web/info.json", null).body().contains("\"dev_tokens\":true"));
            assertEquals(405, get(dev, "/dev/token?user=alice", null).statusCode(), "POST only");
            assertEquals(400, post(dev, "/dev/token?user=no%20spaces").statusCode());
            HttpResponse<String> r = post(dev, "/dev/token?user=alice&name=Alice&admin=1");
            assertEquals(200, r.statusCode(), r.body());
            String token = r.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            var p = new TokenVerifier(WebSite.DEV_SECRET, Clock.systemUTC()).verify(token);
            assertEquals("alice", p.userId());
            assertEquals("Alice", p.name());
            assertTrue(p.hasRole("admin"));
        }
    }

    @Test
    void webOffServesNeitherPage() throws Exception {
        try (TestNode node = TestNode.start(c -> c.withNet(c.net().withWeb(false)))) {
            for (String path : List.of("/", "/console", "/web/demo.js", "/console/api/stats", "/web/info.json")) {
                assertEquals(
                        404,
                        get(node, path, TestNode.token("root", List.of("admin")))
                                .statusCode(),
                        path);
            }
            assertEquals(404, post(node, "/dev/token?user=alice").statusCode());
            assertEquals(200, get(node, "/health", null).statusCode());
        }
    }
}
