package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.MessageBus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The bus of a single node: the only node listening is this one. A push on a listened stream is
 * numbered from the node's {@link MemorySequences}, appended to its {@link MemoryReplayLog} and
 * handed to the delivery handler, all on the publishing thread under the stream's lock, so the
 * stream's members get its pushes in seq order; a push on a stream nobody listens to numbers
 * nothing. Lobby states no newer than the last one published are dropped, as on Redis. Control
 * messages reach this node's handler at once; sent to any other node they go nowhere, as a
 * Redis publish nobody is subscribed to.
 */
final class MemoryMessageBus implements MessageBus {
    private final String nodeId;
    private final MemorySequences sequences;
    private final MemoryReplayLog replay;
    /** The streams listened to, each with the last lobby-state version published on it (bounded by them). */
    private final Map<String, Listened> streams = new ConcurrentHashMap<>();

    private volatile Delivery handler = (s, q, b) -> {};
    private volatile Consumer<byte[]> nodeHandler = m -> {};

    private static final class Listened {
        long lastVersion = -1;
        /** Unlistened: a publish that got hold of this before numbers nothing (guarded by this). */
        boolean gone;
    }

    MemoryMessageBus(String nodeId, MemorySequences sequences, MemoryReplayLog replay) {
        this.nodeId = nodeId;
        this.sequences = sequences;
        this.replay = replay;
    }

    @Override
    public long publish(String stream, long version, byte[] body) {
        Listened l = streams.get(stream);
        if (l == null) {
            return 0;
        }
        synchronized (l) {
            if (l.gone) {
                // unlistened while this publish was on its way: numbering it now would bring the
                // stream's counter and replay log back after the owner forgot them (a leak)
                return 0;
            }
            if (version >= 0) {
                if (l.lastVersion >= version) {
                    return 1;
                }
                l.lastVersion = version;
            }
            long seq = sequences.next(stream);
            replay.append(stream, seq, body);
            handler.deliver(stream, seq, body);
            return 1;
        }
    }

    @Override
    public void raise(String stream, long seq) {
        sequences.raise(stream, seq);
    }

    /** Never called: memory does not lose its subscription. */
    @Override
    public void onReconnect(Runnable action) {}

    @Override
    public void listen(String stream) {
        streams.putIfAbsent(stream, new Listened());
    }

    @Override
    public void unlisten(String stream) {
        Listened l = streams.remove(stream);
        if (l != null) {
            synchronized (l) {
                l.gone = true; // after any publish under way: it numbered before the unlisten
            }
        }
    }

    @Override
    public void onDelivery(Delivery h) {
        this.handler = h;
    }

    @Override
    public int listening() {
        return streams.size();
    }

    @Override
    public boolean isUp() {
        return true;
    }

    @Override
    public boolean awaitUp(long timeoutMs) {
        return true;
    }

    @Override
    public void sendToNode(String node, byte[] message) {
        if (node.equals(nodeId)) {
            nodeHandler.accept(message);
        }
    }

    @Override
    public void onNodeMessage(Consumer<byte[]> h) {
        this.nodeHandler = h;
    }

    /** Nothing to release (what is still listened to stays visible to a leak check). */
    @Override
    public void close() {}
}
