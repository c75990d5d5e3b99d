/**
 * Match rooms: the {@link io.tickroom.server.match.MatchLogic} API a game implements, game modes,
 * seats and signed seat tokens, reconnection grace, and the match runner. All of a match's state
 * is owned by one tick thread; other threads reach it only through the match's bounded inbox.
 */
package io.tickroom.server.match;
