package io.tickroom.server.session;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.JoinMatch;
import io.tickroom.protocol.v1.KickMember;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.QuickMatch;
import io.tickroom.protocol.v1.RefreshToken;
import io.tickroom.protocol.v1.Resume;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.SendDirectMessage;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.SetReady;
import io.tickroom.protocol.v1.StartMatch;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.testing.RecordingSink;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based: random bytes and mutated valid frames thrown at a real node's decoder and
 * dispatcher, each on a session of its own. Whatever arrives, no exception escapes, everything
 * the server sends back is a well-formed frame, every error is typed, a decodable request with an
 * id gets at most one answer (exactly one unless the session was closed by policy), and a
 * bystander on a real connection keeps being served; afterwards the node's counts return to zero.
 */
class FrameFuzzIT {
    static TestNode node;
    static TestClient bystander;
    static final AtomicInteger sessions = new AtomicInteger();

    @BeforeContainer
    static void start() throws Exception {
        node = TestNode.start();
        bystander = node.connect("bystander");
    }

    @AfterContainer
    static void stop() throws Exception {
        if (!bystander.request(Req.ping()).hasPong()) {
            throw new AssertionError("the bystander was not served after the fuzzing");
        }
        bystander.close();
        node.awaitZeroCounts();
        node.close();
    }

    /** Feeds one frame to a fresh socket-free session and checks every promise. */
    static void feed(byte[] bytes) throws Exception {
        RecordingSink sink = new RecordingSink();
        String user = "fuzz" + (sessions.incrementAndGet() % 7); // a few users, so requests meet each other's state
        ClientSession s = new ClientSession("f" + sessions.get(), new Principal(user, user, Set.of(), Long.MAX_VALUE,
                OptionalInt.empty()), Namespace.PLAY, "127.0.0.1", sink, new Outbound(sink, 1024, 8, System::nanoTime),
                new TokenBucket(1000, 1000, System.nanoTime()), new TokenBucket(1000, 1000, System.nanoTime()),
                new TokenBucket(10, 100, System.nanoTime()));
        s.keepAnswers(64);
        node.node().sessions().open(s);
        try {
            node.node().playDispatcher().onFrame(s, ByteBuffer.wrap(bytes)); // must not throw
            // requests run on the session's lane: what the frame caused is done once the lane is idle
            io.tickroom.server.testing.Await.until(s.lane()::isIdle, java.time.Duration.ofSeconds(10),
                    () -> "the lane of " + s + " did not finish");
            ClientFrame decoded = null;
            try {
                decoded = ClientFrame.parseFrom(bytes);
            } catch (Exception e) {
                // not a frame: an INVALID_FRAME answer is expected
            }
            List<ServerFrame> sent = new ArrayList<>();
            synchronized (sink) {
                for (ByteBuffer b : sink.written) {
                    sent.add(ServerFrame.parseFrom(b.duplicate())); // well-formed, or this throws
                }
            }
            int answers = 0;
            for (ServerFrame f : sent) {
                if (f.hasError() && (f.getError().getCode() == ErrorCode.ERROR_CODE_UNSPECIFIED
                        || f.getError().getCode() == ErrorCode.UNRECOGNIZED)) {
                    throw new AssertionError("untyped error: " + f);
                }
                if (decoded != null && decoded.getRequestId() != 0 && f.getReplyTo() == decoded.getRequestId()) {
                    answers++;
                }
            }
            if (decoded == null && sent.stream().noneMatch(f -> f.hasError()
                    && f.getError().getCode() == ErrorCode.INVALID_FRAME)) {
                throw new AssertionError("garbage was not answered INVALID_FRAME: " + sent);
            }
            if (decoded != null && decoded.getRequestId() != 0 && answers > 1) {
                throw new AssertionError(answers + " answers to one request: " + sent);
            }
            if (decoded != null && decoded.getRequestId() != 0 && answers == 0 && !s.isClosing()) {
                throw new AssertionError("no answer to " + decoded + ": " + sent);
            }
        } finally {
            s.closedWith(1000, "fuzzed"); // a deliberate close: nothing held for a resume
            node.node().sessions().close(s);
        }
    }

    @Property(tries = 300)
    void randomBytesNeverBreakTheServer(@ForAll @Size(max = 2048) byte[] bytes) throws Exception {
        feed(bytes);
    }

    @Property(tries = 500)
    void mutatedValidFramesNeverBreakTheServer(@ForAll("frames") ClientFrame frame, @ForAll("mutations") Mutation m)
            throws Exception {
        feed(m.apply(frame.toByteArray()));
    }

    @Property(tries = 300)
    void validFramesWithHostileFieldsGetOneTypedAnswer(@ForAll("frames") ClientFrame frame) throws Exception {
        feed(frame.toByteArray());
    }

    /** One way to damage an encoding. */
    record Mutation(int kind, int at, int value) {
        byte[] apply(byte[] in) {
            if (in.length == 0) {
                return new byte[] {(byte) value};
            }
            int i = Math.floorMod(at, in.length);
            byte[] out;
            switch (kind) {
                case 0 -> { // flip a byte
                    out = in.clone();
                    out[i] ^= (byte) (value | 1);
                }
                case 1 -> { // cut the tail
                    out = java.util.Arrays.copyOf(in, i);
                }
                case 2 -> { // insert a byte
                    out = new byte[in.length + 1];
                    System.arraycopy(in, 0, out, 0, i);
                    out[i] = (byte) value;
                    System.arraycopy(in, i, out, i + 1, in.length - i);
                }
                default -> { // duplicate the frame (two messages merged)
                    out = new byte[in.length * 2];
                    System.arraycopy(in, 0, out, 0, in.length);
                    System.arraycopy(in, 0, out, in.length, in.length);
                }
            }
            return out;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers(),
                Arbitraries.integers().between(0, 255)).as(Mutation::new);
    }

    @Provide
    Arbitrary<ClientFrame> frames() {
        Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().ofMinLength(400).ofMaxLength(5000), Arbitraries.just(""),
                Arbitraries.of("arena", "arena-duel", "lounge", "lobby:x", "\u0000", "../../etc"));
        Arbitrary<Integer> n = Arbitraries.integers();
        Arbitrary<Integer> id = Arbitraries.integers().between(0, 50);
        Arbitrary<ClientFrame.Builder> body = Arbitraries.oneOf(
                text.map(t -> ClientFrame.newBuilder().setListLobbies(ListLobbies.newBuilder().setMode(t))),
                Combinators.combine(text, text, n).as((a, b, c) -> ClientFrame.newBuilder()
                        .setCreateLobby(CreateLobby.newBuilder().setName(a).setMode(b).setMaxPlayers(c))),
                Combinators.combine(text, text).as((a, b) -> ClientFrame.newBuilder()
                        .setJoinLobby(JoinLobby.newBuilder().setLobbyId(a).setJoinCode(b))),
                Combinators.combine(text, text).as((a, b) -> ClientFrame.newBuilder()
                        .setSendChat(SendChat.newBuilder().setLobbyId(a).setText(b))),
                text.map(t -> ClientFrame.newBuilder().setSetReady(SetReady.newBuilder().setLobbyId(t).setReady(true))),
                Combinators.combine(text, text).as((a, b) -> ClientFrame.newBuilder()
                        .setKickMember(KickMember.newBuilder().setLobbyId(a).setUserId(b))),
                Combinators.combine(text, text).as((a, b) -> ClientFrame.newBuilder()
                        .setDirectMessage(SendDirectMessage.newBuilder().setToUserId(a).setText(b))),
                text.map(t -> ClientFrame.newBuilder().setStartMatch(StartMatch.newBuilder().setLobbyId(t))),
                text.map(t -> ClientFrame.newBuilder().setJoinMatch(JoinMatch.newBuilder().setSeatToken(t))),
                text.map(t -> ClientFrame.newBuilder().setMatchInput(MatchInput.newBuilder().setMatchId(t)
                        .setPayload(com.google.protobuf.ByteString.copyFromUtf8(t)))),
                text.map(t -> ClientFrame.newBuilder().setQuickMatch(QuickMatch.newBuilder().setMode(t))),
                text.map(t -> ClientFrame.newBuilder().setResume(Resume.newBuilder().setResumeToken(t)
                        .putLastSeqs(t, 3))),
                text.map(t -> ClientFrame.newBuilder().setRefreshToken(RefreshToken.newBuilder().setToken(t))),
                Arbitraries.just(ClientFrame.newBuilder()), // empty body
                Arbitraries.just(Req.ping()));
        return Combinators.combine(body, id).as((b, i) -> b.setRequestId(i).build());
    }
}
