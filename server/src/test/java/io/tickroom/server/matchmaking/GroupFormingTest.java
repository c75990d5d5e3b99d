package io.tickroom.server.matchmaking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tickroom.server.cluster.MatchQueue.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The quick-match rule: arrival order, within rating windows that widen with waiting time. */
class GroupFormingTest {
    final RatingWindow window = new RatingWindow(100, 50, 1000);

    static Entry w(String user, int rating, long sinceMs) {
        return new Entry(user, user, rating, sinceMs, "node");
    }

    static List<String> users(List<Entry> g) {
        return g.stream().map(Entry::userId).toList();
    }

    @Test
    void windowStartsAtBaseGrowsWithWaitAndIsCapped() {
        assertEquals(100, window.width(0));
        assertEquals(150, window.width(1_000));
        assertEquals(600, window.width(10_000));
        assertEquals(1000, window.width(60_000));
    }

    @Test
    void farApartPlayersWaitUntilTheirWindowsCoverTheGap() {
        List<Entry> q = List.of(w("low", 1000, 0), w("high", 1400, 0));
        assertNull(QuickMatchService.formGroup(q, 2, 0, window), "400 apart, windows of 100");
        assertNull(QuickMatchService.formGroup(q, 2, 5_000, window), "after 5 s windows are 350");
        assertEquals(List.of("low", "high"), users(QuickMatchService.formGroup(q, 2, 6_000, window)));
    }

    @Test
    void theLongestWaitingAnchorsAndTakesTheNextArrivalsThatFit() {
        // at 300 ms the windows are 100..115; "far" fits nobody and is passed over
        List<Entry> q =
                List.of(w("a", 1500, 0), w("far", 2500, 0), w("b", 1550, 100), w("c", 1450, 200), w("d", 1520, 300));
        assertEquals(List.of("a", "b", "c"), users(QuickMatchService.formGroup(q, 3, 300, window)));
        assertNull(QuickMatchService.formGroup(List.of(w("far", 2500, 0), w("a", 1500, 0)), 2, 300, window));
    }

    @Test
    void aNewPlayerMustFitTheWholeGroupNotJustTheAnchor() {
        // b is 90 above a, c is 90 below a: each fits a, but b..c spans 180 > 100
        List<Entry> q = List.of(w("a", 1500, 0), w("b", 1590, 0), w("c", 1410, 0));
        assertNull(QuickMatchService.formGroup(q, 3, 0, window));
        assertEquals(List.of("a", "b"), users(QuickMatchService.formGroup(q, 2, 0, window)));
    }
}
