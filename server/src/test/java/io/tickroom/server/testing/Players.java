package io.tickroom.server.testing;

import java.util.ArrayList;
import java.util.List;

/** The clients a test opened, so it can close them all and then check the node is clean. */
public final class Players implements AutoCloseable {
    private final List<TestClient> clients = new ArrayList<>();

    /** Connects a player with a fresh token for {@code userId} and keeps it for {@link #close}. */
    public TestClient connect(TestNode node, String userId) throws Exception {
        return add(node.connect(userId));
    }

    public TestClient add(TestClient c) {
        clients.add(c);
        return c;
    }

    @Override
    public void close() throws Exception {
        for (TestClient c : clients) {
            c.close();
        }
        clients.clear();
    }
}
