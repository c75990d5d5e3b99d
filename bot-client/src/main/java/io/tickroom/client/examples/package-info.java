/**
 * Complete minimal clients on the client library, the ones the README shows: each is a
 * {@code main} run as a process by a test against real nodes, so the README cannot drift from
 * the library. Listeners run on the library's threads; {@code main} waits on futures.
 */
package io.tickroom.client.examples;
