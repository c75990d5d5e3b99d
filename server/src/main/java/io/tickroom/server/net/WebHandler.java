package io.tickroom.server.net;

import io.tickroom.server.auth.AuthException;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.auth.Tokens;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves {@link WebSite}: the pages with a restrictive Content-Security-Policy (scripts and styles
 * from this origin only, no inline code, no framing; the demo page may open WebSockets to the
 * live nodes), the console's data behind an admin token, the dev token endpoint when the node
 * allows it. Everything else goes to the next handler. Tokens are read, never logged.
 */
final class WebHandler extends Handler.Wrapper {
    static final long DEV_TOKEN_TTL_MS = 3_600_000;
    private static final String BASE_CSP =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private final WebSite site;

    WebHandler(WebSite site, Handler next) {
        super(next);
        this.site = site;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/", "/index.html" -> page(request, response, callback, "index.html", method);
            case "/console" -> page(request, response, callback, "console.html", method);
            case "/web/info.json" -> {
                if (get(method, response, callback)) {
                    json(
                            response,
                            callback,
                            200,
                            "{\"node\":\"" + site.nodeId + "\",\"dev_tokens\":" + site.devTokens() + "}");
                }
            }
            case "/dev/token" -> devToken(request, response, callback, method);
            case "/console/api/stats" -> stats(request, response, callback, method);
            default -> {
                if (path.startsWith("/web/")) {
                    asset(response, callback, path.substring("/web/".length()), method);
                } else {
                    return super.handle(request, response, callback);
                }
            }
        }
        return true;
    }

    private void page(Request request, Response response, Callback callback, String name, String method) {
        WebAssets.Asset a = site.assets.get(name);
        if (a == null) {
            Response.writeError(request, response, callback, 404);
            return;
        }
        if (!get(method, response, callback)) {
            return;
        }
        String csp = BASE_CSP + "; connect-src " + connectSources(request, name.equals("index.html"));
        send(response, callback, 200, a.contentType(), a.bytes(), csp);
    }

    /**
     * This origin (for fetches and, spelled out for browsers that do not count ws: as 'self', its
     * WebSockets) and, for the demo page, the live nodes a match may be hosted on.
     */
    private String connectSources(Request request, boolean demo) {
        Set<String> sources = new LinkedHashSet<>();
        sources.add("'self'");
        String host = request.getHeaders().get(HttpHeader.HOST);
        boolean secure = request.isSecure();
        if (host != null && host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
            sources.add((secure ? "wss://" : "ws://") + host);
        }
        if (demo) {
            List<String> urls;
            try {
                urls = site.playUrls.get();
            } catch (RuntimeException e) {
                urls = List.of(); // the registry is unreachable: this node only
            }
            for (String url : urls) {
                try {
                    URI u = URI.create(url);
                    if (u.getScheme() != null && u.getScheme().matches("wss?") && u.getHost() != null) {
                        sources.add(u.getScheme() + "://" + u.getHost() + (u.getPort() == -1 ? "" : ":" + u.getPort()));
                    }
                } catch (IllegalArgumentException e) {
                    // not a URL: nothing to allow
                }
            }
        }
        return String.join(" ", sources);
    }

    private void asset(Response response, Callback callback, String name, String method) {
        WebAssets.Asset a = name.endsWith(".html") ? null : site.assets.get(name);
        if (a == null) {
            send(
                    response,
                    callback,
                    404,
                    "text/plain; charset=utf-8",
                    "not found\n".getBytes(StandardCharsets.UTF_8),
                    API_CSP);
            return;
        }
        if (get(method, response, callback)) {
            send(response, callback, 200, a.contentType(), a.bytes(), API_CSP);
        }
    }

    /**
     * {@code POST /dev/token?user=alice&name=Alice[&admin=1]}: a one-hour token signed with the
     * development secret. Exists only when the node runs with that secret (anyone who knows it can
     * mint tokens anyway); otherwise 404.
     */
    private void devToken(Request request, Response response, Callback callback, String method) {
        if (site.devSecret == null) {
            json(
                    response,
                    callback,
                    404,
                    "{\"error\":\"no dev tokens: this node does not run with the development secret\"}");
            return;
        }
        if (!method.equals("POST")) {
            response.getHeaders().put(HttpHeader.ALLOW, "POST");
            json(response, callback, 405, "{\"error\":\"POST only\"}");
            return;
        }
        var q = Request.extractQueryParameters(request);
        String user = q.getValue("user");
        String name = q.getValue("name");
        if (user == null || !user.matches("[A-Za-z0-9_.-]{1,32}")) {
            json(response, callback, 400, "{\"error\":\"user: 1-32 of A-Z a-z 0-9 _ . -\"}");
            return;
        }
        if (name == null || name.isBlank()) {
            name = user;
        }
        if (name.length() > 32 || !name.codePoints().allMatch(c -> c >= 0x20 && c != 0x7f)) {
            json(response, callback, 400, "{\"error\":\"name: up to 32 printable characters\"}");
            return;
        }
        List<String> roles = "1".equals(q.getValue("admin")) ? List.of(Principal.ADMIN_ROLE) : List.of();
        long expiresAtMs = site.time.epochMillis() + DEV_TOKEN_TTL_MS;
        String token = Tokens.mint(site.devSecret, user, name, roles, Instant.ofEpochMilli(expiresAtMs), null);
        json(
                response,
                callback,
                200,
                "{\"token\":\"" + token + "\",\"user_id\":\"" + user + "\",\"expires_at_ms\":" + expiresAtMs
                        + ",\"development\":true}");
    }

    /** {@code GET /console/api/stats} with {@code Authorization: Bearer <admin token>}: the console's data. */
    private void stats(Request request, Response response, Callback callback, String method) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)
                ? auth.substring(7).strip()
                : null;
        Principal p;
        try {
            p = site.tokens.verify(token);
        } catch (AuthException e) {
            response.getHeaders()
                    .put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"tickroom\", error=\"invalid_token\"");
            json(response, callback, 401, "{\"error\":\"" + e.getMessage().replace('"', '\'') + "\"}");
            return;
        }
        if (!p.hasRole(Principal.ADMIN_ROLE)) {
            json(response, callback, 403, "{\"error\":\"role 'admin' required\"}");
            return;
        }
        if (get(method, response, callback)) {
            json(response, callback, 200, site.consoleJson.get());
        }
    }

    private static boolean get(String method, Response response, Callback callback) {
        if (method.equals("GET")) {
            return true;
        }
        response.getHeaders().put(HttpHeader.ALLOW, "GET");
        json(response, callback, 405, "{\"error\":\"GET only\"}");
        return false;
    }

    private static void json(Response response, Callback callback, int status, String body) {
        send(response, callback, status, "application/json", body.getBytes(StandardCharsets.UTF_8), API_CSP);
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body, String csp) {
        response.setStatus(status);
        var h = response.getHeaders();
        h.put(HttpHeader.CONTENT_TYPE, type);
        h.put("Content-Security-Policy", csp);
        h.put("X-Content-Type-Options", "nosniff");
        h.put("Referrer-Policy", "no-referrer");
        h.put("X-Frame-Options", "DENY");
        h.put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
