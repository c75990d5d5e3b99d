/**
 * The node's threads: every thread Tickroom starts is named, a daemon, and made by a
 * {@link io.tickroom.server.thread.NodeThreads} factory, so that an {@link Error} escaping one of
 * them reaches the node's one {@link io.tickroom.server.thread.FatalErrorHandler} (in a process:
 * one log line, then halt). Stateless apart from thread counters; any thread.
 */
package io.tickroom.server.thread;
