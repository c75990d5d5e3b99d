/** Test fixtures: a node on a free port, a real WebSocket test client, raw HTTP handshakes, a fake clock. */
package io.tickroom.server.testing;
