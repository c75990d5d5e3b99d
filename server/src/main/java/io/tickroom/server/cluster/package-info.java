/**
 * What crosses nodes, as ports (lobby directory, bus, node registry, presence, sequences, replay
 * log, resume store, match directory, match queue) bundled in one {@link
 * io.tickroom.server.cluster.Cluster}, with their values and errors, and what nodes say to each
 * other over the bus ({@link io.tickroom.server.cluster.NodeCalls}, in the internal protobuf
 * messages of {@code tickroom.internal.v1}); {@code cluster.memory} (one node) and {@code
 * cluster.redis} implement every port, and one contract test per port runs against both. Every
 * operation is atomic and thread-safe; none of these types knows about sessions or sockets.
 */
package io.tickroom.server.cluster;
