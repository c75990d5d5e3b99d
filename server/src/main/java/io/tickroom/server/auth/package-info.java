/**
 * Who a client is: JWT (HS256) verification at the handshake and the authenticated
 * {@link io.tickroom.server.auth.Principal}. Identity and roles come from a verified token only,
 * never from frames. Stateless and thread-safe.
 */
package io.tickroom.server.auth;
