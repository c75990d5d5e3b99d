package io.tickroom.server.cluster;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * What the port contracts share: each test gets fresh clusters (each in a key space of its own)
 * and they are closed after it. A subclass per backend says how to make one.
 */
public abstract class PortContract {
    /** The node the contracts' cluster belongs to. */
    protected static final String NODE = "node-a";

    private final List<Cluster> opened = new ArrayList<>();

    /** A fresh, empty cluster of node {@code nodeId}, sharing nothing with any other. */
    protected abstract Cluster newCluster(String nodeId);

    /** A fresh cluster of {@link #NODE}, closed after the test. */
    protected final Cluster cluster() {
        Cluster c = newCluster(NODE);
        opened.add(c);
        return c;
    }

    @AfterEach
    void closeClusters() {
        opened.forEach(Cluster::close);
        opened.clear();
    }
}
