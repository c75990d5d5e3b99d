/**
 * The embedded single-node cluster ({@link io.tickroom.server.cluster.memory.MemoryCluster}):
 * every cluster port in memory, for one node and no Redis. Every operation is thread-safe and
 * short (plain maps, one lock per structure or per stream), never blocks on I/O, and delivers
 * on the caller's thread.
 */
package io.tickroom.server.cluster.memory;
