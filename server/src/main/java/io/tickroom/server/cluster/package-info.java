/**
 * What crosses nodes, behind interfaces: the lobby directory and the per-stream sequences of
 * reliable pushes. The in-memory implementations are the embedded single-node default; a Redis
 * implementation satisfies the same contracts. Every operation is atomic and thread-safe; none
 * of these types knows about sessions, sockets or the wire.
 */
package io.tickroom.server.cluster;
