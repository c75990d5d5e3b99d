package io.tickroom.bench;

import io.tickroom.protocol.v1.ChatMessage;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.FrameSink;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.session.TokenBucket;
import java.nio.ByteBuffer;
import java.util.OptionalInt;
import java.util.Set;

/** Shared benchmark fixtures: sessions over a sink that stands in for the socket. */
final class Fixtures {
    private Fixtures() {}

    /** A socket that accepts every write at once and counts it (the kernel's share is not ours). */
    static final class Sink implements FrameSink {
        long frames;
        long bytes;
        /** Keeps the last buffer, as a socket keeps it until written (the shared frame: sinks get no copy). */
        ByteBuffer last;

        @Override
        public void send(ByteBuffer frame, WriteCallback done) {
            frames++;
            bytes += frame.remaining();
            last = frame;
            done.written(null);
        }

        @Override
        public void close(int code, String reason) {}

        @Override
        public void abort() {}
    }

    static ClientSession session(String id, String user, Sink sink) {
        return new ClientSession(
                id,
                new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                Namespace.PLAY,
                "bench",
                sink,
                new Outbound(sink, 1024, 8, System::nanoTime),
                new TokenBucket(1_000_000, 1_000_000, 0),
                new TokenBucket(1, 1, 0),
                new TokenBucket(1, 1, 0));
    }

    /** A typical reliable push: one chat line on a lobby stream. */
    static ServerFrame chat() {
        return ServerFrame.newBuilder()
                .setStream(io.tickroom.server.room.RoomId.lobby("abcdefghijkl").name())
                .setSeq(4242)
                .setChat(ChatMessage.newBuilder()
                        .setLobbyId("abcdefghijkl")
                        .setFromUserId("user-123456")
                        .setFromName("Player One")
                        .setText("gg wp, rematch? let's go again in the same lobby")
                        .setSentAtMs(1_795_000_000_000L))
                .build();
    }
}
