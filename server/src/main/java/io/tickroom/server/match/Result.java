package io.tickroom.server.match;

/** One player's result, as the game reports it when the match ends. */
public record Result(String userId, int score, int rank) {
}
