/**
 * Membership and delivery with Socket.IO's meanings: emit to one session, to the union of rooms,
 * except rooms, excluding the sender or not, to a user (every session of a user is in its user
 * room). Rooms are named by {@link io.tickroom.server.room.RoomId}; a user's memberships change
 * on every node by typed control messages ({@link io.tickroom.server.room.Memberships}). A
 * broadcast is encoded once and every recipient gets the same read-only bytes. Thread-safe: any
 * thread may leave and emit, and join a session while it is alive (the join is atomic with
 * respect to the session's close); a tick thread's pushes that must reach Redis go through the
 * streams' bounded outbox.
 */
package io.tickroom.server.room;
