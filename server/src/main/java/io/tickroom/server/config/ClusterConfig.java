package io.tickroom.server.config;

import java.net.URI;

/**
 * What crosses nodes.
 *
 * @param redisUri       {@code redis://host:port} (one Redis), or {@code
 *                       redis-cluster://host:port[,host:port...]} (a Redis Cluster: its seed
 *                       nodes); empty keeps the node on the embedded single-node default
 *                       (in-memory directory, no Redis needed)
 * @param keyPrefix      prefix of every Redis key and channel (several deployments can share a Redis)
 * @param redisTimeoutMs connect and socket timeout of Redis calls: a request that needs Redis
 *                       waits at most this long before it is answered UNAVAILABLE
 * @param renewMs        how often a node renews its registration (and looks for dead nodes)
 * @param nodeTtlMs      a node whose registration is this old is dead: the others clean up after it
 */
public record ClusterConfig(String redisUri, String keyPrefix, int redisTimeoutMs, long renewMs, long nodeTtlMs) {
    /** No Redis: the embedded single node. */
    public static final String SINGLE_NODE = "";

    public static final String DEFAULT_KEY_PREFIX = "tr:";
    public static final int DEFAULT_REDIS_TIMEOUT_MS = 500;
    public static final long DEFAULT_RENEW_MS = 1_000;
    public static final long DEFAULT_NODE_TTL_MS = 5_000;
    /**
     * How long a clustered node waits at start for Redis to answer before it refuses to start
     * (covers Redis starting next to it); not a flag.
     */
    public static final long REDIS_START_WAIT_MS = 5_000;

    public ClusterConfig {
        redisUri = redisUri == null ? "" : redisUri.strip();
        if (redisUri.startsWith(CLUSTER_SCHEME)) {
            seeds(redisUri); // validates
        } else if (!redisUri.isEmpty()) {
            URI u;
            try {
                u = URI.create(redisUri);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("--redis: not a URI: " + redisUri);
            }
            ConfigException.require(
                    "redis".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0,
                    "--redis",
                    "must look like redis://host:port or redis-cluster://host:port[,host:port...], was " + redisUri);
        }
        ConfigException.require(
                keyPrefix != null && keyPrefix.matches("[A-Za-z0-9_.:-]{1,32}"),
                "--redis-prefix",
                "must be 1..32 of [A-Za-z0-9_.:-]");
        ConfigException.require(
                redisTimeoutMs >= 50 && redisTimeoutMs <= 10_000, "--redis-timeout-ms", "must be 50..10000");
        ConfigException.require(
                renewMs >= 100 && nodeTtlMs >= 2 * renewMs,
                "--node-ttl-ms",
                "must be at least twice --node-renew-ms (" + renewMs + ")");
    }

    public static ClusterConfig singleNode() {
        return new ClusterConfig(
                SINGLE_NODE, DEFAULT_KEY_PREFIX, DEFAULT_REDIS_TIMEOUT_MS, DEFAULT_RENEW_MS, DEFAULT_NODE_TTL_MS);
    }

    /** Redis at {@code uri} with the defaults: renew every 1 s, TTL 5 s. */
    public static ClusterConfig redis(String uri, String prefix) {
        return new ClusterConfig(uri, prefix, DEFAULT_REDIS_TIMEOUT_MS, DEFAULT_RENEW_MS, DEFAULT_NODE_TTL_MS);
    }

    public boolean clustered() {
        return !redisUri.isEmpty();
    }

    /** The scheme of a Redis Cluster's seed list. */
    public static final String CLUSTER_SCHEME = "redis-cluster://";

    /** Whether {@link #redisUri} names a Redis Cluster (several masters, sharded pub/sub). */
    public boolean redisCluster() {
        return redisUri.startsWith(CLUSTER_SCHEME);
    }

    /** The Redis Cluster's seed nodes as "host:port" ({@link #redisCluster}), or the one Redis's. */
    public java.util.List<String> redisSeeds() {
        if (redisCluster()) {
            return seeds(redisUri);
        }
        URI u = URI.create(redisUri);
        return java.util.List.of(u.getHost() + ":" + u.getPort());
    }

    private static java.util.List<String> seeds(String uri) {
        String list = uri.substring(CLUSTER_SCHEME.length());
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String s : list.split(",", -1)) {
            String seed = s.strip();
            int colon = seed.lastIndexOf(':');
            boolean ok = colon > 0 && colon < seed.length() - 1;
            if (ok) {
                try {
                    int port = Integer.parseInt(seed.substring(colon + 1));
                    ok = port > 0 && port < 65_536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            ConfigException.require(
                    ok, "--redis", "must look like redis-cluster://host:port[,host:port...], was " + uri);
            out.add(seed);
        }
        return java.util.List.copyOf(out);
    }
}
