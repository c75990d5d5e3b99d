package io.tickroom.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A timer that runs tasks only when the test advances it. */
final class FakeTimer implements Timer {
    private long now = 1_000_000;
    private long seq;
    private final List<Task> tasks = new ArrayList<>();

    private final class Task implements Cancellable {
        final long at;
        final long order = seq++;
        final Runnable run;
        boolean cancelled;

        Task(long at, Runnable run) {
            this.at = at;
            this.run = run;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    @Override
    public long nowMs() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(long delayMs, Runnable task) {
        Task t = new Task(now + delayMs, task);
        tasks.add(t);
        return t;
    }

    /** Moves time forward, running every task that falls due, in time order. */
    void advance(long ms) {
        long target = now + ms;
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream()
                        .filter(t -> !t.cancelled && t.at <= target)
                        .min(Comparator.<Task>comparingLong(t -> t.at).thenComparingLong(t -> t.order))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.at);
            }
            next.run.run();
        }
    }

    synchronized long pendingTasks() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}
