package io.tickroom.server.net;

import io.tickroom.server.auth.Authenticator;
import io.tickroom.server.tick.TimeSource;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Handler;

/**
 * The browser side of a node ({@code --web on}): the demo page at {@code /}, the operator
 * console at {@code /console}, their assets under {@code /web/}, the console's data at
 * {@code /console/api/stats} (an admin token on every call) and, only when the node runs with
 * the development secret, the dev token endpoint {@code POST /dev/token}. Built once by the
 * composition root; its handler runs on Jetty threads and never blocks.
 */
public final class WebSite {
    /** The secret {@code scripts/run-server} uses when none is set: public, so never for production. */
    public static final String DEV_SECRET = "tickroom-dev-secret-change-me-0123456789";

    final String nodeId;
    final Authenticator tokens;
    /** The secret dev tokens are minted with; null unless the node runs with {@link #DEV_SECRET}. */
    final String devSecret;

    final TimeSource time;
    final Supplier<String> consoleJson;
    final Supplier<List<String>> playUrls;
    final WebAssets assets;

    /**
     * @param jwtSecret   the node's secret: dev tokens exist only when it is {@link #DEV_SECRET}
     * @param consoleJson the console's data (see {@code ConsoleStats}), read per call on a Jetty thread
     * @param playUrls    the live nodes' play URLs, which the demo page may connect to (CSP connect-src);
     *                    read on Jetty threads, so it must not wait on Redis
     */
    public WebSite(
            String nodeId,
            Authenticator tokens,
            String jwtSecret,
            TimeSource time,
            Supplier<String> consoleJson,
            Supplier<List<String>> playUrls) {
        this.nodeId = nodeId;
        this.tokens = tokens;
        this.devSecret = DEV_SECRET.equals(jwtSecret) ? jwtSecret : null;
        this.time = time;
        this.consoleJson = consoleJson;
        this.playUrls = playUrls;
        this.assets = WebAssets.load();
    }

    /** Whether {@code POST /dev/token} exists on this node. */
    public boolean devTokens() {
        return devSecret != null;
    }

    Handler handler(Handler next) {
        return new WebHandler(this, next);
    }
}
