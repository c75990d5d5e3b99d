/**
 * The bot swarm: thousands of headless players on the client library, each a small state machine
 * driven by callbacks and the shared timer (no thread per bot), with load-test reporting
 * (HdrHistogram percentiles per request type, deliveries, errors by code) and SLO gates.
 */
package io.tickroom.bots;
