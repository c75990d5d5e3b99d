package io.tickroom.server.session;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A budget for repeated identical error logs: the first occurrence of a key (say, a request type
 * and the exception that failed it) is logged in full, later ones within {@code windowNs} are
 * counted, not logged, and the first one after the window is logged with how many were
 * suppressed. One client repeating a request that fails can thus cost a line a minute, not a
 * stack trace a request. Bounded: at most {@value #MAX_KEYS} keys (least recently seen
 * forgotten). Thread-safe.
 */
final class ThrottledLog {
    static final int MAX_KEYS = 1_024;

    /** What to do with one occurrence: log it (and say how many were held back before it), or not. */
    record Verdict(boolean log, long suppressedBefore) {}

    private static final Verdict QUIET = new Verdict(false, 0);

    private static final class Seen {
        long windowStartNs;
        long suppressed;
    }

    private final long windowNs;
    private final LongSupplier nanoClock;
    private long suppressedTotal;
    private final Map<Object, Seen> seen = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Seen> eldest) {
            return size() > MAX_KEYS;
        }
    };

    ThrottledLog(long windowNs, LongSupplier nanoClock) {
        this.windowNs = windowNs;
        this.nanoClock = nanoClock;
    }

    synchronized Verdict occurred(Object key) {
        long now = nanoClock.getAsLong();
        Seen s = seen.get(key);
        if (s == null) {
            s = new Seen();
            s.windowStartNs = now;
            seen.put(key, s);
            return new Verdict(true, 0);
        }
        if (now - s.windowStartNs < windowNs) {
            s.suppressed++;
            suppressedTotal++;
            return QUIET;
        }
        Verdict v = new Verdict(true, s.suppressed);
        s.windowStartNs = now;
        s.suppressed = 0;
        return v;
    }

    /** Occurrences not logged so far. */
    synchronized long suppressed() {
        return suppressedTotal;
    }
}
