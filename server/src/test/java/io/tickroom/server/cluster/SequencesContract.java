package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every {@link Sequences} must do; run against memory and Redis. */
public abstract class SequencesContract {
    protected abstract Sequences sequences();

    @Test
    void numbersEachStreamFromOneWithoutGapsOrRepeats() throws Exception {
        Sequences s = sequences();
        assertEquals(0, s.current("lobby:a"));
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 400; i++) {
            pool.submit(() -> seen.add(s.next("lobby:a")));
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        Set<Long> expected = new HashSet<>();
        for (long i = 1; i <= 400; i++) {
            expected.add(i);
        }
        assertEquals(expected, seen);
        assertEquals(400, s.current("lobby:a"));
        assertEquals(1, s.next("user:b"), "streams are independent");
        s.forget("lobby:a");
        assertEquals(0, s.current("lobby:a"));
    }
}
