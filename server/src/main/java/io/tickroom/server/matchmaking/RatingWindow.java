package io.tickroom.server.matchmaking;

/**
 * How far apart in rating two players may be, given how long they have waited: the window starts
 * at {@code baseWidth}, grows by {@code widthPerSecond} for every second of waiting, and stops at
 * {@code maxWidth}. Two waiting players are compatible when their rating difference fits inside
 * both of their windows; a group is compatible when every pair is (equivalently: the spread of
 * the group fits inside the smallest window in it). A player without a rating claim counts as
 * {@link #DEFAULT_RATING}.
 */
public record RatingWindow(int baseWidth, int widthPerSecond, int maxWidth) {
    public static final int DEFAULT_RATING = 1500;

    public static RatingWindow defaults() {
        return new RatingWindow(100, 50, 1000);
    }

    public long width(long waitedMs) {
        return Math.min(maxWidth, baseWidth + widthPerSecond * waitedMs / 1000);
    }
}
