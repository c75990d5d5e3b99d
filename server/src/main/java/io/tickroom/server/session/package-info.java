/**
 * One connected client: identity, namespace, room memberships, rate limiters and its bounded
 * outbound queue; the registry of live sessions; request dispatch with exactly-once answers.
 * A session's inbound frames are handled one at a time on a Jetty thread (Jetty demands the
 * next frame only after the previous one is handled); its outbound queue may be offered to
 * from any thread.
 */
package io.tickroom.server.session;
