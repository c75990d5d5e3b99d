/**
 * The cluster on Redis ({@link io.tickroom.server.cluster.redis.RedisCluster}): every cluster
 * port on one Redis, shared by every node, through Jedis (which no other package sees). Every
 * port is thread-safe; calls block for at most the configured timeout and surface Redis failures
 * as {@code ClusterUnavailableException}; the bus delivers on its one subscriber thread, and
 * match directory writes and node renewals run on threads of their own.
 */
package io.tickroom.server.cluster.redis;
