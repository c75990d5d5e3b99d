package io.tickroom.bench;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.session.ClientSession;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One broadcast to a room of 8, 64 or 1,024 sessions through the real delivery path
 * ({@code Rooms.to(room).emit}: encode once, then per recipient a queue append and a
 * {@code duplicate()} handed to the socket), with a sink standing in for the socket; against a
 * baseline that encodes the frame once per recipient (what a naive server does). Score: time per
 * broadcast; with {@code -prof gc}, bytes allocated per broadcast.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BroadcastBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BroadcastBenchmark {
    @Param({"8", "64", "1024"})
    int recipients;

    static final RoomId LOBBY = RoomId.lobby("bench");
    Rooms rooms;
    List<ClientSession> sessions;
    ServerFrame frame;
    ByteBuffer snapshot;

    @Setup
    public void setUp() {
        rooms = new Rooms();
        sessions = new ArrayList<>();
        for (int i = 0; i < recipients; i++) {
            ClientSession s = Fixtures.session("s" + i, "u" + i, new Fixtures.Sink());
            rooms.join(s, LOBBY);
            sessions.add(s);
        }
        frame = Fixtures.chat();
        snapshot = ByteBuffer.wrap(frame.toByteArray()).asReadOnlyBuffer();
    }

    /** The real path: encode once, every recipient gets the same read-only bytes. */
    @Benchmark
    public int encodeOnce() {
        return rooms.to(LOBBY).emit(frame);
    }

    /**
     * A match's snapshot as a tick sends it: the encoded frame offered to every member as the
     * newest of its key (a slow reader's older snapshot would be replaced; here none waits).
     */
    @Benchmark
    public int snapshotToEveryMember() {
        return rooms.to(LOBBY).emitLatest(LOBBY, snapshot);
    }

    /** The baseline: the same frame encoded again for each recipient. */
    @Benchmark
    public int encodePerRecipient() {
        int n = 0;
        for (ClientSession s : rooms.members(LOBBY)) {
            s.send(frame);
            n++;
        }
        return n;
    }
}
