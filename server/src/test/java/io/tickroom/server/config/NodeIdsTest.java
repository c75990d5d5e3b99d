package io.tickroom.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The default node id: the host's short name and a random suffix, valid wherever an id is. */
class NodeIdsTest {

    @Test
    void twoDefaultIdsDifferAndAreValidNodeIds() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            String id = NodeIds.unique();
            assertTrue(id.matches("[A-Za-z0-9_.-]{1,64}"), id);
            ServerConfig.defaults(id, "0123456789abcdef0123456789abcdef"); // accepted as --node-id
            ids.add(id);
        }
        assertEquals(1_000, ids.size(), "no two alike");
    }

    @Test
    void isTheShortHostNameADashAndSixRandomCharacters() {
        String id = NodeIds.unique("Web-3.eu-west.example.com", new SplittableRandom(7));
        assertTrue(id.matches("web-3-[a-z0-9]{6}"), id);
        assertNotEquals(id, NodeIds.unique("Web-3.eu-west.example.com", new SplittableRandom(8)));
    }

    @Test
    void makesAnyHostNameFitAnId() {
        assertEquals("node", NodeIds.hostPart(""));
        assertEquals("node", NodeIds.hostPart(null));
        assertEquals("my-laptop-", NodeIds.hostPart("My Laptop!"));
        String longName = "h".repeat(200);
        assertEquals(NodeIds.MAX_HOST_CHARS, NodeIds.hostPart(longName).length());
        assertTrue(NodeIds.unique(longName, new SplittableRandom(1)).length() <= 64);
    }
}
