package io.tickroom.server.tick;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The scheduler's threads and their failure policy, in real time with 1 ms ticks (events awaited, no sleeps). */
@Timeout(30)
class TickSchedulerTest {
    /** A 1 kHz tickable that counts its ticks and can throw from tick 3 on (a loaded machine may skip tick 3 itself). */
    static final class Ticker implements Tickable {
        final AtomicLong ticks = new AtomicLong();
        final CompletableFuture<Throwable> failure = new CompletableFuture<>();
        volatile CountDownLatch reached = new CountDownLatch(0);
        final Throwable throwOnTick3;

        Ticker(Throwable throwOnTick3) {
            this.throwOnTick3 = throwOnTick3;
        }

        @Override
        public long tickIntervalNs() {
            return 1_000_000;
        }

        @Override
        public void tick(long tick, long nowNs) {
            if (tick >= 3 && throwOnTick3 instanceof Error e) {
                throw e;
            }
            if (tick >= 3 && throwOnTick3 instanceof RuntimeException e) {
                throw e;
            }
            ticks.incrementAndGet();
            reached.countDown();
        }

        @Override
        public boolean isFinished() {
            return false;
        }

        @Override
        public void failed(Throwable error, long nowNs) {
            failure.complete(error);
        }

        /** Waits for {@code n} more ticks. */
        void awaitMoreTicks(int n) throws InterruptedException {
            CountDownLatch l = new CountDownLatch(n);
            reached = l;
            assertTrue(l.await(10, TimeUnit.SECONDS), "no further ticks");
        }
    }

    @Test
    void anErrorOnATickThreadGoesToTheFatalErrorHandlerAfterItsMatchIsFailed() throws Exception {
        CompletableFuture<Error> fatal = new CompletableFuture<>();
        try (TickScheduler scheduler = new TickScheduler(1, 3, TimeSource.SYSTEM, fatal::complete)) {
            scheduler.start();
            Error boom = new Error("boom");
            Ticker bad = new Ticker(boom);
            Ticker good = new Ticker(null);
            scheduler.schedule(bad);
            scheduler.schedule(good);
            assertSame(boom, fatal.get(10, TimeUnit.SECONDS));
            assertSame(boom, bad.failure.getNow(null), "the match is failed before the handler runs");
            assertEquals(1, scheduler.size());
            assertEquals(1, scheduler.metrics().failures);
            good.awaitMoreTicks(20); // the handler returned: the thread goes on
        }
    }

    @Test
    void anExceptionFromAMatchFailsOnlyThatMatchAndNeverReachesTheFatalErrorHandler() throws Exception {
        CompletableFuture<Error> fatal = new CompletableFuture<>();
        try (TickScheduler scheduler = new TickScheduler(1, 3, TimeSource.SYSTEM, fatal::complete)) {
            scheduler.start();
            IllegalStateException bug = new IllegalStateException("game bug");
            Ticker bad = new Ticker(bug);
            Ticker good = new Ticker(null);
            scheduler.schedule(bad);
            scheduler.schedule(good);
            assertSame(bug, bad.failure.get(10, TimeUnit.SECONDS));
            good.awaitMoreTicks(20);
            assertEquals(1, scheduler.size());
            assertTrue(bad.ticks.get() <= 3, "bad ran " + bad.ticks.get());
            assertFalse(fatal.isDone());
        }
    }
}
