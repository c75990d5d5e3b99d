/**
 * The edge: Jetty embedding, the handshake chain that runs before the upgrade, the WebSocket
 * endpoint that turns frames into dispatcher calls, the Jetty side of the outbound path, the
 * housekeeper (pings, stalled writes), the HTTP endpoints and the web pages (demo, console).
 * Jetty types never leave this package. Jetty threads run the handshake and each session's
 * frames; they never block.
 */
package io.tickroom.server.net;
