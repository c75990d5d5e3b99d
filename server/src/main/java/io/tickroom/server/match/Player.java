package io.tickroom.server.match;

/** A seated player as the game sees it: who, and which seat (0-based, stable for the match). */
public record Player(String userId, String name, int seat) {
}
