package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MatchDirectory} must do (what the match service, resume and the dead-node
 * clean-up rely on); run against memory and Redis. Writes never block the caller (Redis queues
 * them on a thread of its own), so reads after a write are awaited.
 */
public abstract class MatchDirectoryContract extends PortContract {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The store loses everything it held (Redis restarted empty); memory never does. */
    protected abstract void loseStoredState();

    protected static MatchDirectory.Entry match(String id, String node, String... players) {
        return new MatchDirectory.Entry(id, node, "arena", "ws://" + node + "/ws/play", List.of(players), 1_000);
    }

    protected static void awaitFound(MatchDirectory d, MatchDirectory.Entry e) throws InterruptedException {
        Await.until(() -> d.get(e.matchId()).equals(Optional.of(e)), WAIT, () -> e.matchId() + " not found");
    }

    protected static void awaitGone(MatchDirectory d, String matchId) throws InterruptedException {
        Await.until(() -> d.get(matchId).isEmpty(), WAIT, () -> matchId + " not removed");
    }

    @Test
    void findsAMatchByIdAndByEachPlayer() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        MatchDirectory.Entry m = match("m1", NODE, "ann", "bob");
        d.add(m);
        awaitFound(d, m);
        assertEquals(Optional.of("m1"), d.matchOf("ann"));
        assertEquals(Optional.of("m1"), d.matchOf("bob"));
        assertEquals(Optional.empty(), d.matchOf("cid"));
        assertEquals(1, d.count());
    }

    /**
     * Whoever sees the entry sees each player's match: a join's seat check reads the players'
     * keys, which on a cluster live on other masters than the entry (their writes land in no set
     * order unless the directory orders them). Looked at as soon as the entry shows.
     */
    @Test
    void everyPlayerIsFoundOnceTheEntryIsSeen() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        for (int round = 0; round < 20; round++) {
            String[] players = new String[12];
            for (int i = 0; i < players.length; i++) {
                players[i] = "p" + round + "-" + i;
            }
            MatchDirectory.Entry m = match("seen" + round, NODE, players);
            d.add(m);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (d.get(m.matchId()).isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(m.matchId() + " not found within " + WAIT);
                }
                Thread.onSpinWait();
            }
            for (String p : players) {
                assertEquals(Optional.of(m.matchId()), d.matchOf(p), p + "'s match, once " + m.matchId() + " shows");
            }
        }
    }

    @Test
    void aRemovedMatchIsGoneForEveryPlayer() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        MatchDirectory.Entry m = match("m1", NODE, "ann", "bob");
        d.add(m);
        awaitFound(d, m);
        d.remove(m);
        awaitGone(d, "m1");
        assertEquals(Optional.empty(), d.matchOf("ann"));
        assertEquals(Optional.empty(), d.matchOf("bob"));
        assertEquals(0, d.count());
    }

    @Test
    void removingAnOlderMatchKeepsThePlayersNewerOne() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        MatchDirectory.Entry old = match("m1", NODE, "ann");
        MatchDirectory.Entry newer = match("m2", NODE, "ann");
        d.add(old);
        d.add(newer);
        awaitFound(d, newer);
        d.remove(old);
        awaitGone(d, "m1");
        assertEquals(Optional.of("m2"), d.matchOf("ann"));
    }

    @Test
    void aDeadNodesMatchesGoAndNoOthers() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        MatchDirectory.Entry dead1 = match("d1", "node-dead", "ann");
        MatchDirectory.Entry dead2 = match("d2", "node-dead", "bob");
        MatchDirectory.Entry alive = match("a1", NODE, "cid");
        d.add(dead1);
        d.add(dead2);
        d.add(alive);
        awaitFound(d, alive);
        awaitFound(d, dead2);
        assertEquals(2, d.removeNode("node-dead"));
        assertEquals(Optional.empty(), d.get("d1"));
        assertEquals(Optional.empty(), d.matchOf("bob"));
        assertEquals(Optional.of(alive), d.get("a1"));
        assertEquals(1, d.count());
        assertEquals(0, d.removeNode("node-dead"), "cleaned up once");
    }

    @Test
    void theLiveMatchesAreFoundAgainOnceRewrittenAfterAStoreLoss() throws Exception {
        MatchDirectory d = cluster().matchDirectory();
        MatchDirectory.Entry m = match("m1", NODE, "ann");
        d.add(m);
        awaitFound(d, m);
        loseStoredState();
        d.rewrite(List.of(m));
        awaitFound(d, m);
        // on a cluster the player's key is on another master than the match's: written in its own batch
        Await.until(() -> d.matchOf("ann").isPresent(), WAIT, () -> "ann's match not rewritten");
        assertEquals(Optional.of("m1"), d.matchOf("ann"));
    }
}
