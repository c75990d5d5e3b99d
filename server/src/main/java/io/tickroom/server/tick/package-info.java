/**
 * Time and the fixed-tick scheduler that runs matches: each tick thread keeps its matches in a
 * deadline heap and wakes for the earliest. Each match is owned by one tick thread for its whole
 * life; other threads reach it only through the match's inbox.
 */
package io.tickroom.server.tick;
