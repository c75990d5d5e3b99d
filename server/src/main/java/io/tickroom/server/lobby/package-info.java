/**
 * Lobbies and the social requests around them: list, create, join (by id or code), leave, chat,
 * ready, kick, host hand-over, direct messages. Handlers run on the requesting session's lane
 * (between its open and its close); every change to a lobby and its push to the members happen under that lobby's stripe
 * lock, so every member sees the same events in the same order.
 */
package io.tickroom.server.lobby;
