/**
 * Time and the fixed-tick scheduler that runs matches. Each match is owned by one tick thread
 * for its whole life; other threads reach it only through the match's inbox.
 */
package io.tickroom.server.tick;
