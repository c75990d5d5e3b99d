/**
 * Test fixtures: a node on a free port, a node as its own process, a real WebSocket test client,
 * raw HTTP handshakes, a redis-server the test owns, a fake clock.
 */
package io.tickroom.server.testing;
