/**
 * One connected client: identity, namespace, rate limiters, its bounded outbound queue and its
 * recent answers; the registry of live sessions; request dispatch with exactly-once answers.
 * Each session is owned by its lane ({@link io.tickroom.server.session.SessionLanes}): its open,
 * its requests and its close run there one at a time, in order, and nothing runs after the close.
 * Jetty threads only decode and hand over; other threads reach a session through its lane, its
 * thread-safe outbound queue, or a guarded in-memory step ({@code ClientSession.ifAlive}).
 */
package io.tickroom.server.session;
