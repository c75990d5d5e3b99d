/**
 * Quick match: per-mode queues of waiting players, matched by arrival within a rating window
 * that widens with waiting time. Requests run on the session's lane; matching runs on the
 * matchmaker thread; each mode's queue is guarded by its own lock.
 */
package io.tickroom.server.matchmaking;
