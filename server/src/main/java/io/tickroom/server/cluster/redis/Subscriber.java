package io.tickroom.server.cluster.redis;

import java.util.Collection;

/**
 * The bus's receiving side: the connections that hold this node's channel subscriptions, kept up
 * across Redis outages. {@link ClassicSubscriber} is one SUBSCRIBE connection to a single Redis;
 * {@link ShardedSubscriber} is one SSUBSCRIBE connection per master of a Redis Cluster, each
 * holding the channels of that master's slots, and follows the topology (slot moves, failover).
 * Both deliver on their own threads and, on every (re)connection, subscribe what the bus wants
 * now ({@code wanted}).
 */
interface Subscriber extends AutoCloseable {
    /** Where messages and reconnections go. Called on a subscriber thread: must not block on it. */
    interface Sink {
        void message(String channel, byte[] body);

        /** Subscriptions came back after being lost: messages published meanwhile were missed. */
        void reconnected();
    }

    /** What the subscriber subscribes on each (re)connection: the bus's channels now. */
    interface Wanted {
        Collection<String> channels();
    }

    /** Starts connecting (once). */
    void start();

    /**
     * Subscribes {@code channel}; waits at most {@code timeoutMs} for the server to confirm
     * (not at all on a subscriber thread, which cannot wait for itself). Not confirmed in time:
     * logged, and subscribed on the next (re)connection anyway.
     */
    void subscribe(String channel, long timeoutMs);

    void unsubscribe(String channel);

    boolean isUp();

    boolean awaitUp(long timeoutMs);

    @Override
    void close();
}
