package io.tickroom.server.match;

/**
 * A seated player as the game sees it: who, and which seat. Part of the public game API.
 * Equal players are the same seat of the same match.
 *
 * @param userId the verified user id (from the player's token; never from client data)
 * @param name   the display name from the token
 * @param seat   0-based, stable for the match; below {@link GameMode#maxPlayers()}, so a game may
 *               index arrays by it
 * @since 0.2
 */
public record Player(String userId, String name, int seat) {}
