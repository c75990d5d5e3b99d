package io.tickroom.server.cluster;

/**
 * Per-stream sequence numbers for reliable pushes ({@code lobby:{id}}, {@code user:{id}}).
 * {@link #next} is atomic across every caller (clustered: across nodes). Streams are forgotten
 * when what they belong to ends, so the number of live streams is bounded by live lobbies and
 * users.
 */
public interface Sequences {
    long next(String stream);

    /** The last number handed out on the stream, 0 if none. */
    long current(String stream);

    void forget(String stream);

    int streamCount();
}
