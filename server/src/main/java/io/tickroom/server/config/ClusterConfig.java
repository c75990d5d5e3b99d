package io.tickroom.server.config;

import java.net.URI;

/**
 * What crosses nodes.
 *
 * @param redisUri       {@code redis://host:port}; empty keeps the node on the embedded
 *                       single-node default (in-memory directory, no Redis needed)
 * @param keyPrefix      prefix of every Redis key and channel (several deployments can share a Redis)
 * @param redisTimeoutMs connect and socket timeout of Redis calls: a request that needs Redis
 *                       waits at most this long before it is answered UNAVAILABLE
 */
public record ClusterConfig(String redisUri, String keyPrefix, int redisTimeoutMs) {
    public ClusterConfig {
        redisUri = redisUri == null ? "" : redisUri.strip();
        if (!redisUri.isEmpty()) {
            URI u;
            try {
                u = URI.create(redisUri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--redis: not a URI: " + redisUri);
            }
            ConfigException.require("redis".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0,
                    "--redis", "must look like redis://host:port, was " + redisUri);
        }
        ConfigException.require(keyPrefix != null && keyPrefix.matches("[A-Za-z0-9_.:-]{1,32}"), "--redis-prefix",
                "must be 1..32 of [A-Za-z0-9_.:-]");
        ConfigException.require(redisTimeoutMs >= 50 && redisTimeoutMs <= 10_000, "--redis-timeout-ms", "must be 50..10000");
    }

    public static ClusterConfig singleNode() {
        return new ClusterConfig("", "tr:", 500);
    }

    public boolean clustered() {
        return !redisUri.isEmpty();
    }
}
