package io.tickroom.server.match;

/**
 * One player's result, as the game reports it in {@link MatchContext#end}. Every seated player
 * gets the results in a reliable {@code match_ended}. Part of the public game API.
 *
 * @param userId the player's {@link Player#userId()}
 * @param score  the game's score
 * @param rank   1 for the best; ties may share a rank
 * @since 0.2
 */
public record Result(String userId, int score, int rank) {}
