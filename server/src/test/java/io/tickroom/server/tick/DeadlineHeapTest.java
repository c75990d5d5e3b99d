package io.tickroom.server.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loop's deadline heap against a reference priority queue: order by deadline, ties first in first out. */
class DeadlineHeapTest {
    final DeadlineHeap heap = new DeadlineHeap();

    static Scheduled at(long deadlineNs) {
        Scheduled s = new Scheduled(null);
        s.deadlineNs = deadlineNs;
        return s;
    }

    @Test
    void equalDeadlinesLeaveInTheOrderTheyCameIn() {
        List<Scheduled> same = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Scheduled s = at(100);
            same.add(s);
            heap.add(s);
            heap.add(at(200 + i));
        }
        for (Scheduled expected : same) {
            assertSame(expected, heap.peek());
            heap.removeHead();
        }
        assertEquals(20, heap.size());
        assertEquals(200, heap.peek().deadlineNs);
    }

    @Test
    void aRescheduledHeadGoesBehindEntriesWithTheSameNewDeadline() {
        Scheduled a = at(10);
        Scheduled b = at(20);
        Scheduled c = at(20);
        heap.add(a);
        heap.add(b);
        heap.add(c);
        a.deadlineNs = 20;
        heap.rescheduleHead();
        assertSame(b, heap.peek());
        heap.removeHead();
        assertSame(c, heap.peek());
        heap.removeHead();
        assertSame(a, heap.peek());
        heap.removeHead();
        assertNull(heap.peek());
    }

    @Test
    void matchesAReferenceQueueOverRandomAddsReschedulesAndRemovals() {
        Random random = new Random(42);
        Comparator<Scheduled> order =
                Comparator.<Scheduled>comparingLong(s -> s.deadlineNs).thenComparingLong(s -> s.seq);
        PriorityQueue<Scheduled> reference = new PriorityQueue<>(order);
        for (int step = 0; step < 100_000; step++) {
            int op = random.nextInt(10);
            if (op < 4 || heap.size() == 0) {
                Scheduled s = at(random.nextInt(1_000));
                heap.add(s);
                reference.add(s);
            } else if (op < 8) {
                Scheduled head = reference.poll();
                assertSame(head, heap.peek());
                head.deadlineNs += random.nextInt(300);
                heap.rescheduleHead();
                reference.add(head); // seq was renewed by the reschedule
            } else {
                assertSame(reference.poll(), heap.peek());
                heap.removeHead();
            }
            assertEquals(reference.size(), heap.size());
            assertSame(reference.peek(), heap.peek());
        }
    }
}
