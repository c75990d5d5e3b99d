package io.tickroom.server.tick;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * A JDK Flight Recorder event for a tick that started more than 2 ms ({@link LateTicks}) after its
 * deadline, on the same timeline as the JVM's own events (collections, compilations, safepoints,
 * thread parks), so a late tick can be put next to what held it up. Costs nothing unless a
 * recording is running and a tick is late. Record with {@code -XX:StartFlightRecording} or
 * {@code jcmd <pid> JFR.start}; read with {@code jfr print --events io.tickroom.TickLate}.
 *
 * <p>{@code wokeLate} is how late the tick thread woke for this deadline; {@code behindOthers}
 * is how long the ticks before it in the same wake took. Their sum is the lateness.
 */
@Name("io.tickroom.TickLate")
@Label("Late Tick")
@Category({"Tickroom", "Tick Loop"})
@Description("A tick that started more than 2 ms after its deadline")
@StackTrace(false)
public final class TickLate extends jdk.jfr.Event {
    @Label("Lateness")
    @Timespan(Timespan.NANOSECONDS)
    long lateness;

    @Label("Woke Late By")
    @Timespan(Timespan.NANOSECONDS)
    long wokeLate;

    @Label("Behind Others In The Wake")
    @Timespan(Timespan.NANOSECONDS)
    long behindOthers;

    @Label("Tick Number")
    long tick;

    @Label("Period")
    @Timespan(Timespan.NANOSECONDS)
    long period;
}
