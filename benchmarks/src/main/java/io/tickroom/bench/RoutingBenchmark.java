package io.tickroom.bench;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.session.ClientSession;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Delivery routing at 10,000 sessions: 100 rooms of 100 (every session also in its user room);
 * one emit {@code to} three rooms that overlap (each session once) {@code except} a fourth.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RoutingBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {
    static final RoomId ROOM_1 = RoomId.lobby("1");
    static final RoomId ROOM_2 = RoomId.lobby("2");
    static final RoomId ROOM_3 = RoomId.lobby("3");
    static final RoomId OVERLAP = RoomId.lobby("overlap");
    Rooms rooms;
    ServerFrame frame;

    @Setup
    public void setUp() {
        rooms = new Rooms();
        for (int i = 0; i < 10_000; i++) {
            ClientSession s = Fixtures.session("s" + i, "u" + i, new Fixtures.Sink());
            rooms.opened(s);
            rooms.join(s, RoomId.lobby(Integer.toString(i % 100)));
            if (i % 10 == 0) {
                rooms.join(s, OVERLAP); // 1,000 sessions also in an overlapping room
            }
        }
        frame = Fixtures.chat();
    }

    /** To lobby:1, lobby:2 and lobby:overlap (about 1,180 distinct sessions), except lobby:3. */
    @Benchmark
    public int toSeveralExceptOne() {
        return rooms.to(ROOM_1, ROOM_2, OVERLAP).except(ROOM_3).emit(frame);
    }
}
