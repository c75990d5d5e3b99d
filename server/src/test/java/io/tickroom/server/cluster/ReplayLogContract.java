package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReplayLog} must do for a resume (what {@code Streams.replay} relies on); run
 * against memory and Redis. The log is filled by the cluster's bus, which appends what it numbers
 * and delivers.
 */
public abstract class ReplayLogContract extends PortContract {

    /** Publishes {@code bodies} on a listened {@code stream} of {@code c}'s bus. */
    protected static void publish(Cluster c, String stream, String... bodies) {
        c.bus().awaitUp(10_000);
        c.bus().listen(stream);
        for (String b : bodies) {
            c.bus().publish(stream, -1, b.getBytes(StandardCharsets.UTF_8));
        }
    }

    protected static List<String> texts(ReplayLog.Replay r) {
        return r.bodies().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8))
                .toList();
    }

    @Test
    void replaysWhatCameAfterASeqInOrder() {
        Cluster c = cluster();
        publish(c, "lobby:a", "one", "two", "three");
        ReplayLog.Replay r = c.replayLog().after("lobby:a", 1, 10);
        assertEquals(3, r.current());
        assertEquals(List.of(2L, 3L), r.seqs());
        assertEquals(List.of("two", "three"), texts(r));
        assertFalse(r.gapAfter(1), "nothing missing");
    }

    @Test
    void hasNothingAfterTheCurrentSeqAndNoGap() {
        Cluster c = cluster();
        publish(c, "lobby:a", "one", "two");
        ReplayLog.Replay r = c.replayLog().after("lobby:a", 2, 10);
        assertEquals(2, r.current());
        assertTrue(r.seqs().isEmpty());
        assertFalse(r.gapAfter(2));
    }

    @Test
    void aReplayCutShortByItsMaxShowsTheGap() {
        Cluster c = cluster();
        publish(c, "user:u", "1", "2", "3", "4", "5");
        ReplayLog.Replay r = c.replayLog().after("user:u", 0, 2);
        assertEquals(List.of(1L, 2L), r.seqs());
        assertEquals(5, r.current());
        assertTrue(r.gapAfter(0), "the client would miss 3..5");
    }

    @Test
    void logsNothingNobodyGot() {
        Cluster c = cluster();
        c.bus().publish("lobby:quiet", -1, "unheard".getBytes(StandardCharsets.UTF_8));
        ReplayLog.Replay r = c.replayLog().after("lobby:quiet", 0, 10);
        assertEquals(0, r.current());
        assertTrue(r.seqs().isEmpty());
        assertFalse(r.gapAfter(0));
    }

    @Test
    void aForgottenStreamHasNothingToReplayAndLeavesNothingBehind() {
        Cluster c = cluster();
        publish(c, "lobby:gone", "one", "two");
        c.replayLog().forget("lobby:gone");
        assertTrue(c.replayLog().after("lobby:gone", 0, 10).seqs().isEmpty());
        assertEquals(0, c.replayLog().streamCount());
    }

    @Test
    void keepsStreamsApart() {
        Cluster c = cluster();
        publish(c, "lobby:a", "a1", "a2");
        publish(c, "lobby:b", "b1");
        assertEquals(List.of("a1", "a2"), texts(c.replayLog().after("lobby:a", 0, 10)));
        assertEquals(List.of("b1"), texts(c.replayLog().after("lobby:b", 0, 10)));
    }
}
