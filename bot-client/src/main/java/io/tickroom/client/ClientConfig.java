package io.tickroom.client;

import java.net.URI;
import java.util.function.Supplier;

/**
 * One client's settings.
 *
 * @param url               the node's {@code /ws/play} URL
 * @param token             supplies a token for each (re)connect, so an expiring token can be renewed
 * @param tokenInQuery      send the token as {@code ?access_token=} (as browsers must) instead of a header
 * @param requestTimeoutMs  how long a request waits for its answer, queued time included
 * @param backoff           reconnection schedule
 * @param maxQueuedFrames   frames kept while disconnected; past it new sends fail at once with
 *                          {@link QueueFullException} (policy: reject newest)
 * @param reconnect         reconnect automatically after an unexpected close
 * @param followMatches     on {@code match_found}, claim the seat (over a new connection when the
 *                          match runs on another node)
 */
public record ClientConfig(
        URI url,
        Supplier<String> token,
        boolean tokenInQuery,
        long requestTimeoutMs,
        Backoff backoff,
        int maxQueuedFrames,
        boolean reconnect,
        boolean followMatches) {

    public ClientConfig {
        if (url == null || token == null || requestTimeoutMs < 1 || backoff == null || maxQueuedFrames < 0) {
            throw new IllegalArgumentException(
                    "url, token, requestTimeoutMs >= 1, backoff and maxQueuedFrames >= 0 are required");
        }
    }

    public static ClientConfig of(URI url, Supplier<String> token) {
        return new ClientConfig(url, token, false, 10_000, Backoff.defaults(), 256, true, true);
    }

    public ClientConfig withUrl(URI u) {
        return new ClientConfig(
                u, token, tokenInQuery, requestTimeoutMs, backoff, maxQueuedFrames, reconnect, followMatches);
    }

    public ClientConfig withRequestTimeoutMs(long ms) {
        return new ClientConfig(url, token, tokenInQuery, ms, backoff, maxQueuedFrames, reconnect, followMatches);
    }

    public ClientConfig withBackoff(Backoff b) {
        return new ClientConfig(
                url, token, tokenInQuery, requestTimeoutMs, b, maxQueuedFrames, reconnect, followMatches);
    }

    public ClientConfig withMaxQueuedFrames(int n) {
        return new ClientConfig(url, token, tokenInQuery, requestTimeoutMs, backoff, n, reconnect, followMatches);
    }

    public ClientConfig withFollowMatches(boolean follow) {
        return new ClientConfig(
                url, token, tokenInQuery, requestTimeoutMs, backoff, maxQueuedFrames, reconnect, follow);
    }

    public ClientConfig withReconnect(boolean r) {
        return new ClientConfig(url, token, tokenInQuery, requestTimeoutMs, backoff, maxQueuedFrames, r, followMatches);
    }
}
