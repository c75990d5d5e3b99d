/**
 * The Tickroom client library: one {@link io.tickroom.client.TickroomClient} per logical player
 * connection, with acknowledged requests, push listeners, automatic reconnection with full-jitter
 * backoff, a bounded send queue while disconnected, and match following. Thousands of clients
 * share one {@link io.tickroom.client.ClientRuntime} (one Jetty WebSocket client and a small
 * timer pool): no thread per connection. Listeners are called on runtime threads; they must not
 * block.
 */
package io.tickroom.client;
