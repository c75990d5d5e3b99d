package io.tickroom.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.ServerFrame;
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
 * Wire codec cost: decoding a client request and encoding/decoding the server's biggest common
 * push (a lobby state of 8 members).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    ClientFrame clientFrame;
    byte[] clientBytes;
    ServerFrame serverFrame;
    byte[] serverBytes;

    @Setup
    public void setUp() {
        clientFrame = ClientFrame.newBuilder()
                .setRequestId(77)
                .setSendChat(SendChat.newBuilder().setLobbyId("abcdefghijkl").setText("gg wp, rematch?"))
                .build();
        clientBytes = clientFrame.toByteArray();
        LobbyState.Builder s = LobbyState.newBuilder()
                .setLobbyId("abcdefghijkl")
                .setName("Friday night arena")
                .setMode("arena")
                .setMaxPlayers(8)
                .setHostUserId("user-0")
                .setJoinCode("ABC234")
                .setVersion(17);
        for (int i = 0; i < 8; i++) {
            s.addMembers(LobbyMember.newBuilder()
                    .setUserId("user-" + i)
                    .setName("Player " + i)
                    .setReady(i % 2 == 0));
        }
        serverFrame = ServerFrame.newBuilder()
                .setStream(io.tickroom.server.room.RoomId.lobby("abcdefghijkl").name())
                .setSeq(17)
                .setLobbyState(s)
                .build();
        serverBytes = serverFrame.toByteArray();
    }

    @Benchmark
    public ClientFrame decodeClientFrame() throws InvalidProtocolBufferException {
        return ClientFrame.parseFrom(clientBytes);
    }

    @Benchmark
    public byte[] encodeClientFrame() {
        return clientFrame.toByteArray();
    }

    @Benchmark
    public byte[] encodeServerFrame() {
        return serverFrame.toByteArray();
    }

    @Benchmark
    public ServerFrame decodeServerFrame() throws InvalidProtocolBufferException {
        return ServerFrame.parseFrom(serverBytes);
    }
}
