package io.tickroom.server.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The frame of a one-node integration test: a fresh node per test, the clients it opened, and a
 * teardown that closes them and fails unless every count of the node is back to zero. Override
 * {@link #startNode()} for other game modes or settings.
 */
@Timeout(60)
public abstract class OneNodeIT {
    protected TestNode node;
    protected final Players players = new Players();

    protected TestNode startNode() throws Exception {
        return TestNode.start();
    }

    @BeforeEach
    void startOneNode() throws Exception {
        node = startNode();
    }

    @AfterEach
    void stopOneNode() throws Exception {
        try {
            players.close();
            node.awaitZeroCounts();
        } finally {
            node.close();
        }
    }

    /** Connects a player to the node; closed after the test. */
    protected TestClient connect(String user) throws Exception {
        return players.connect(node, user);
    }
}
