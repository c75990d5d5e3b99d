package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MatchQueue} must do for the node that holds a mode's lease (what quick match
 * relies on); run against memory and Redis.
 */
public abstract class MatchQueueContract extends PortContract {

    protected static MatchQueue.Entry entry(String user, int rating, long sinceMs) {
        return new MatchQueue.Entry(user, "Name " + user, rating, sinceMs, NODE);
    }

    @Test
    void queuesAUserInOneQueueAtATime() {
        MatchQueue q = cluster().matchQueue();
        assertEquals(MatchQueue.Added.ADDED, q.add("arena", entry("ann", 1500, 1), 10));
        assertEquals(MatchQueue.Added.ALREADY_QUEUED, q.add("arena", entry("ann", 1500, 2), 10));
        assertEquals(MatchQueue.Added.ALREADY_QUEUED, q.add("duel", entry("ann", 1500, 3), 10));
        assertTrue(q.isQueued("ann"));
        assertEquals(1, q.size("arena"));
        assertEquals(0, q.size("duel"));
    }

    @Test
    void refusesPastAModesCapacity() {
        MatchQueue q = cluster().matchQueue();
        q.add("arena", entry("a", 1500, 1), 2);
        q.add("arena", entry("b", 1500, 2), 2);
        assertEquals(MatchQueue.Added.FULL, q.add("arena", entry("c", 1500, 3), 2));
        assertFalse(q.isQueued("c"));
        assertEquals(MatchQueue.Added.ADDED, q.add("duel", entry("c", 1500, 3), 2), "another mode has room");
    }

    @Test
    void listsTheWaitingInArrivalOrder() {
        MatchQueue q = cluster().matchQueue();
        q.add("arena", entry("a", 1400, 10), 10);
        q.add("arena", entry("b", 1500, 20), 10);
        q.add("arena", entry("c", 1600, 30), 10);
        assertEquals(List.of(entry("a", 1400, 10), entry("b", 1500, 20), entry("c", 1600, 30)), q.waiting("arena"));
        assertEquals(List.of(), q.waiting("duel"));
    }

    @Test
    void removesAUserFromWhicheverQueueTheyAreIn() {
        MatchQueue q = cluster().matchQueue();
        q.add("duel", entry("a", 1500, 1), 10);
        assertTrue(q.remove("a"));
        assertFalse(q.remove("a"), "only once");
        assertFalse(q.isQueued("a"));
        assertEquals(0, q.size("duel"));
        assertEquals(MatchQueue.Added.ADDED, q.add("arena", entry("a", 1500, 2), 10), "free to queue again");
    }

    @Test
    void theLeaseHolderTakesAGroupAtOnce() {
        MatchQueue q = cluster().matchQueue();
        q.add("arena", entry("a", 1500, 1), 10);
        q.add("arena", entry("b", 1500, 2), 10);
        q.add("arena", entry("c", 1500, 3), 10);
        long fence = q.lease("arena", NODE, 2_000);
        assertTrue(fence >= 0, "the only node gets the lease");
        assertEquals(fence, q.lease("arena", NODE, 2_000), "and keeps it when it renews");
        assertTrue(q.take("arena", NODE, fence, List.of("a", "c")));
        assertFalse(q.isQueued("a"));
        assertFalse(q.isQueued("c"));
        assertEquals(List.of(entry("b", 1500, 2)), q.waiting("arena"));
    }

    @Test
    void aGroupWithSomeoneGoneIsNotTakenAtAll() {
        MatchQueue q = cluster().matchQueue();
        q.add("arena", entry("a", 1500, 1), 10);
        q.add("arena", entry("b", 1500, 2), 10);
        long fence = q.lease("arena", NODE, 2_000);
        q.remove("b");
        assertFalse(q.take("arena", NODE, fence, List.of("a", "b")));
        assertTrue(q.isQueued("a"), "nobody was taken");
        assertEquals(1, q.size("arena"));
    }
}
