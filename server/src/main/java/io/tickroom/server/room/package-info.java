/**
 * Membership and delivery with Socket.IO's meanings: emit to one session, to the union of rooms,
 * except rooms, excluding the sender or not, to a user (every session of a user is in
 * {@code user:{id}}). A broadcast is encoded once and every recipient gets the same read-only
 * bytes. Thread-safe: any thread may join, leave and emit.
 */
package io.tickroom.server.room;
