package io.tickroom.server.config;

/**
 * Per-session limits on what a client may ask of the server.
 *
 * @param requestsPerSecond   sustained request rate per session (token bucket refill)
 * @param requestBurst        bucket size: requests allowed at once above the sustained rate
 * @param floodCloseAfter     rate-limited requests a session may make within about ten seconds
 *                            (a strike bucket of this size refilling at a tenth of it per second)
 *                            before it is closed with 1008 "rate limit exceeded"
 * @param chatPerSecond       sustained chat and direct-message rate per session
 * @param chatBurst           chat bucket size
 * @param maxChatChars        longest chat line or direct message
 * @param maxInvalidFrames    undecodable frames a session may send before it is closed with
 *                            1008 "too many invalid frames"
 * @param pingsPerSecond      WebSocket pings a connection may send per second, each answered
 *                            with a pong (RFC 6455 §5.5.2); past it a ping is not answered and
 *                            costs a strike like a rate-limited request (out of strikes: 1008
 *                            "rate limit exceeded")
 * @param pingBurst           ping bucket size
 */
public record LimitsConfig(
        int requestsPerSecond,
        int requestBurst,
        int floodCloseAfter,
        int chatPerSecond,
        int chatBurst,
        int maxChatChars,
        int maxInvalidFrames,
        int pingsPerSecond,
        int pingBurst) {

    public static final int DEFAULT_REQUESTS_PER_SECOND = 50;
    public static final int DEFAULT_REQUEST_BURST = 100;
    public static final int DEFAULT_FLOOD_CLOSE_AFTER = 200;
    public static final int DEFAULT_CHAT_PER_SECOND = 5;
    public static final int DEFAULT_CHAT_BURST = 10;
    public static final int DEFAULT_MAX_CHAT_CHARS = 500;
    public static final int DEFAULT_MAX_INVALID_FRAMES = 5;

    public LimitsConfig {
        ConfigException.require(requestsPerSecond >= 1, "--requests-per-second", "must be >= 1");
        ConfigException.require(requestBurst >= 1, "--request-burst", "must be >= 1");
        ConfigException.require(floodCloseAfter >= 1, "--flood-close-after", "must be >= 1");
        ConfigException.require(chatPerSecond >= 1, "--chat-per-second", "must be >= 1");
        ConfigException.require(chatBurst >= 1, "--chat-burst", "must be >= 1");
        ConfigException.require(maxChatChars >= 1 && maxChatChars <= 4000, "--max-chat-chars", "must be 1..4000");
        ConfigException.require(maxInvalidFrames >= 1, "--max-invalid-frames", "must be >= 1");
        ConfigException.require(pingsPerSecond >= 1, "--pings-per-second", "must be >= 1");
        ConfigException.require(pingBurst >= 1, "--ping-burst", "must be >= 1");
    }

    public static final int DEFAULT_PINGS_PER_SECOND = 5;
    public static final int DEFAULT_PING_BURST = 20;

    /** With the default ping limits. */
    public LimitsConfig(
            int requestsPerSecond,
            int requestBurst,
            int floodCloseAfter,
            int chatPerSecond,
            int chatBurst,
            int maxChatChars,
            int maxInvalidFrames) {
        this(
                requestsPerSecond,
                requestBurst,
                floodCloseAfter,
                chatPerSecond,
                chatBurst,
                maxChatChars,
                maxInvalidFrames,
                DEFAULT_PINGS_PER_SECOND,
                DEFAULT_PING_BURST);
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(
                DEFAULT_REQUESTS_PER_SECOND,
                DEFAULT_REQUEST_BURST,
                DEFAULT_FLOOD_CLOSE_AFTER,
                DEFAULT_CHAT_PER_SECOND,
                DEFAULT_CHAT_BURST,
                DEFAULT_MAX_CHAT_CHARS,
                DEFAULT_MAX_INVALID_FRAMES);
    }

    public LimitsConfig withPings(int perSecond, int burst) {
        return new LimitsConfig(
                requestsPerSecond,
                requestBurst,
                floodCloseAfter,
                chatPerSecond,
                chatBurst,
                maxChatChars,
                maxInvalidFrames,
                perSecond,
                burst);
    }
}
