package io.tickroom.server.cluster.redis;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions a caller waits to see confirmed by Redis, by channel: both subscribers send the
 * command, then wait for their connection's (S)SUBSCRIBE confirmation. Bounded by the callers
 * waiting (each removes its own entry however its wait ends).
 */
final class Confirmations {
    private static final Logger log = LoggerFactory.getLogger(Confirmations.class);
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /**
     * Runs {@code subscribe} and waits at most {@code timeoutMs} for {@link #confirmed} of
     * {@code channel}. Not confirmed in time (or the command failed): logged; the subscriber
     * subscribes it again on its next (re)connection.
     */
    void await(String channel, long timeoutMs, Runnable subscribe) {
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        waiting.put(channel, confirmed);
        try {
            subscribe.run();
            confirmed.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            log.warn("subscription to {} not confirmed within {} ms", channel, timeoutMs);
        } finally {
            waiting.remove(channel, confirmed);
        }
    }

    /** Redis confirmed {@code channel} (on a subscriber thread). */
    void confirmed(String channel) {
        CompletableFuture<Void> c = waiting.get(channel);
        if (c != null) {
            c.complete(null);
        }
    }
}
