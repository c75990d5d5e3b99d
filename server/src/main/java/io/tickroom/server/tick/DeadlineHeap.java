package io.tickroom.server.tick;

import java.util.Arrays;

/**
 * A binary min-heap of {@link Scheduled} by next deadline, ties in insertion order, so a wake-up
 * looks at the head instead of every tickable: peek O(1), insert, reschedule and remove the head
 * O(log n). The head is rescheduled in place (its deadline moved on, then sifted down) rather
 * than removed and re-inserted. Holds only live entries (nothing is removed lazily), so its size
 * is the loop's. Owned by the loop's thread.
 */
final class DeadlineHeap {
    private Scheduled[] heap = new Scheduled[16];
    private int size;
    private long inserts;

    int size() {
        return size;
    }

    /** The entry with the earliest deadline, or null when empty. */
    Scheduled peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Scheduled s) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        s.seq = inserts++;
        siftUp(size++, s);
    }

    /** The head's deadline has moved later: puts it back in order (it counts as a new insert for ties). */
    void rescheduleHead() {
        Scheduled head = heap[0];
        head.seq = inserts++;
        siftDown(0, head);
    }

    void removeHead() {
        Scheduled last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
    }

    /** Entry {@code i} in heap order (not deadline order), for reads of the whole set. */
    Scheduled get(int i) {
        return heap[i];
    }

    private static boolean before(Scheduled a, Scheduled b) {
        return a.deadlineNs < b.deadlineNs || (a.deadlineNs == b.deadlineNs && a.seq < b.seq);
    }

    private void siftUp(int i, Scheduled s) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Scheduled p = heap[parent];
            if (!before(s, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = s;
    }

    private void siftDown(int i, Scheduled s) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            Scheduled c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[child];
            }
            if (!before(c, s)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = s;
    }
}
