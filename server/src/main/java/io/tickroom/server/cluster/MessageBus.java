package io.tickroom.server.cluster;

/**
 * Reliable pushes across nodes. A push is published on its stream ({@code lobby:{id}},
 * {@code user:{id}}); the bus numbers it and hands it, in that order, to every node that listens
 * to the stream — the publishing node included — so every member on every node sees the same
 * pushes in the same order. Nodes listen to a stream while they have local members of its room.
 * In memory the only node is this one, and the handlers run on the publishing (sending) thread,
 * under the stream's lock: what Redis delivers on its subscriber thread.
 */
public interface MessageBus extends AutoCloseable {

    /**
     * Numbers and publishes {@code body} (an encoded {@code ServerFrame} without stream and seq).
     * With {@code version >= 0} (a lobby state) the push is dropped when a state of the same or a
     * newer version was already published, so a slower node can never publish a stale state last.
     * Returns how many nodes listen to the stream (0: nobody got it). Throws
     * {@link ClusterUnavailableException} when the bus cannot be reached.
     */
    long publish(String stream, long version, byte[] body);

    /**
     * Makes the stream's next seq at least {@code seq + 1} (after the store lost its counters, so
     * numbering goes on where the members left off instead of starting again at 1).
     */
    void raise(String stream, long seq);

    /**
     * Runs {@code action} (on a thread of its own, not the bus thread) each time the subscription
     * comes back after it was lost: pushes published meanwhile were missed, and the store may have
     * restarted empty.
     */
    void onReconnect(Runnable action);

    /** Starts delivering the stream's pushes to this node's handler. Idempotent. */
    void listen(String stream);

    /** Stops delivering the stream to this node. Idempotent. */
    void unlisten(String stream);

    /** Where delivered pushes go (one handler, set before the first listen). */
    void onDelivery(Delivery handler);

    /** Streams this node listens to now. */
    int listening();

    /**
     * Whether the node's subscription is up. While it is down (Redis gone, reconnecting) pushes
     * published elsewhere do not reach this node and are not replayed.
     */
    boolean isUp();

    /** Waits (at most {@code timeoutMs}) for the subscription to be up; returns whether it is. */
    boolean awaitUp(long timeoutMs);

    /** Sends a control message to one node (fire and forget). Throws {@link ClusterUnavailableException}. */
    void sendToNode(String nodeId, byte[] message);

    /** Where control messages for this node go (called on the bus thread; in memory, the sender's). */
    void onNodeMessage(java.util.function.Consumer<byte[]> handler);

    @FunctionalInterface
    interface Delivery {
        /** Called on the bus's subscriber thread (in memory, the publisher's), in publish order per stream. */
        void deliver(String stream, long seq, byte[] body);
    }

    @Override
    void close();
}
