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
 * the server sends back is a well-formed frame, every error is typed and none is INTERNAL (a
 * hostile field is the client's error, never the server's), a decodable request with an id gets
 * at most one answer (exactly one unless the session was closed by policy), no session holds more
 * than its outbound byte budget, and a bystander on a real connection keeps being served;
 * afterwards the node's counts return to zero. The byte budgets themselves (outbound queue,
 * recent answers) are fuzzed socket-free: whatever sizes arrive and however slowly they are
 * read, a session never holds more than its budget, and what it held goes back to zero.
 */
class FrameFuzzIT {
    static TestNode node;
    static TestClient bystander;
    static final AtomicInteger sessions = new AtomicInteger();
    /** The fuzzed sessions' outbound byte budget: small, so that big answers meet it. */
    static final long FUZZ_QUEUE_BYTES = 64 * 1024;

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
        ClientSession s = new ClientSession(
                "f" + sessions.get(),
                new Principal(user, user, Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                Namespace.PLAY,
                "127.0.0.1",
                sink,
                new Outbound(sink, 1024, FUZZ_QUEUE_BYTES, 8, System::nanoTime),
                new TokenBucket(1000, 1000, System.nanoTime()),
                new TokenBucket(1000, 1000, System.nanoTime()),
                new TokenBucket(10, 100, System.nanoTime()));
        s.keepAnswers(RecentAnswers.of(node.node().config().session()));
        node.node().sessions().open(s);
        try {
            node.node().playDispatcher().onFrame(s, ByteBuffer.wrap(bytes)); // must not throw
            // requests run on the session's lane: what the frame caused is done once the lane is idle
            io.tickroom.server.testing.Await.until(
                    s.lane()::isIdle, java.time.Duration.ofSeconds(10), () -> "the lane of " + s + " did not finish");
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
                if (f.hasError()
                        && (f.getError().getCode() == ErrorCode.ERROR_CODE_UNSPECIFIED
                                || f.getError().getCode() == ErrorCode.UNRECOGNIZED)) {
                    throw new AssertionError("untyped error: " + f);
                }
                if (f.hasError() && f.getError().getCode() == ErrorCode.INTERNAL) {
                    throw new AssertionError("a hostile request failed inside the server: " + f);
                }
                if (decoded != null && decoded.getRequestId() != 0 && f.getReplyTo() == decoded.getRequestId()) {
                    answers++;
                }
            }
            if (decoded == null
                    && sent.stream()
                            .noneMatch(f -> f.hasError() && f.getError().getCode() == ErrorCode.INVALID_FRAME)) {
                throw new AssertionError("garbage was not answered INVALID_FRAME: " + sent);
            }
            if (decoded != null && decoded.getRequestId() != 0 && answers > 1) {
                throw new AssertionError(answers + " answers to one request: " + sent);
            }
            if (decoded != null && decoded.getRequestId() != 0 && answers == 0 && !s.isClosing()) {
                throw new AssertionError("no answer to " + decoded + ": " + sent);
            }
            if (s.outbound().heldBytes() > FUZZ_QUEUE_BYTES) {
                throw new AssertionError("the session holds " + s.outbound().heldBytes() + " bytes, over its budget");
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
        return Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.integers(),
                        Arbitraries.integers().between(0, 255))
                .as(Mutation::new);
    }

    @Provide
    Arbitrary<ClientFrame> frames() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(80),
                Arbitraries.strings().ofMinLength(400).ofMaxLength(5000),
                Arbitraries.just(""),
                Arbitraries.of("arena", "arena-duel", "lounge", "lobby:x", "\u0000", "../../etc"));
        Arbitrary<Integer> n = Arbitraries.integers();
        Arbitrary<Integer> id = Arbitraries.integers().between(0, 50);
        Arbitrary<ClientFrame.Builder> body = Arbitraries.oneOf(
                text.map(t -> ClientFrame.newBuilder()
                        .setListLobbies(ListLobbies.newBuilder().setMode(t))),
                Combinators.combine(Arbitraries.of("arena", "lounge", "nope"), n, text)
                        .as((m, size, token) -> ClientFrame.newBuilder()
                                .setListLobbies(ListLobbies.newBuilder()
                                        .setMode(m)
                                        .setPageSize(size)
                                        .setPageToken(token))), // any uint32, 2^31 and up included
                Combinators.combine(text, text, n)
                        .as((a, b, c) -> ClientFrame.newBuilder()
                                .setCreateLobby(CreateLobby.newBuilder()
                                        .setName(a)
                                        .setMode(b)
                                        .setMaxPlayers(c))),
                Combinators.combine(text, text)
                        .as((a, b) -> ClientFrame.newBuilder()
                                .setJoinLobby(
                                        JoinLobby.newBuilder().setLobbyId(a).setJoinCode(b))),
                Combinators.combine(text, text)
                        .as((a, b) -> ClientFrame.newBuilder()
                                .setSendChat(SendChat.newBuilder().setLobbyId(a).setText(b))),
                text.map(t -> ClientFrame.newBuilder()
                        .setSetReady(SetReady.newBuilder().setLobbyId(t).setReady(true))),
                Combinators.combine(text, text)
                        .as((a, b) -> ClientFrame.newBuilder()
                                .setKickMember(
                                        KickMember.newBuilder().setLobbyId(a).setUserId(b))),
                Combinators.combine(text, text)
                        .as((a, b) -> ClientFrame.newBuilder()
                                .setDirectMessage(SendDirectMessage.newBuilder()
                                        .setToUserId(a)
                                        .setText(b))),
                text.map(t -> ClientFrame.newBuilder()
                        .setStartMatch(StartMatch.newBuilder().setLobbyId(t))),
                text.map(t -> ClientFrame.newBuilder()
                        .setJoinMatch(JoinMatch.newBuilder().setSeatToken(t))),
                text.map(t -> ClientFrame.newBuilder()
                        .setMatchInput(MatchInput.newBuilder()
                                .setMatchId(t)
                                .setPayload(com.google.protobuf.ByteString.copyFromUtf8(t)))),
                Arbitraries.integers()
                        .between(0, 60_000)
                        .map(size -> ClientFrame.newBuilder()
                                .setMatchInput(MatchInput.newBuilder()
                                        .setMatchId("m")
                                        .setPayload(com.google.protobuf.ByteString.copyFrom(
                                                new byte[size])))), // up to 60 KB: over every mode's input cap
                text.map(t -> ClientFrame.newBuilder()
                        .setQuickMatch(QuickMatch.newBuilder().setMode(t))),
                text.map(t -> ClientFrame.newBuilder()
                        .setResume(Resume.newBuilder().setResumeToken(t).putLastSeqs(t, 3))),
                text.map(t -> ClientFrame.newBuilder()
                        .setRefreshToken(RefreshToken.newBuilder().setToken(t))),
                Arbitraries.just(ClientFrame.newBuilder()), // empty body
                Arbitraries.just(Req.ping()));
        return Combinators.combine(body, id).as((b, i) -> b.setRequestId(i).build());
    }

    /** One step against an outbound queue: offer a frame of some size, or let the peer read some. */
    record Step(boolean offer, int bytes, boolean latest, int reads) {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                        Arbitraries.integers().between(1, 40_000),
                        Arbitraries.integers().between(0, 3))
                .as((kind, bytes, reads) -> new Step(kind < 7, bytes, kind == 6, reads));
        return step.list().ofMaxSize(300);
    }

    /**
     * The outbound byte budget under any mix of frame sizes, snapshots and reading speeds: what a
     * session holds never passes its budget (or one frame, when that frame alone is bigger), past
     * it the session is closed 1008 "slow consumer" and takes nothing more, and once the peer has
     * read what was handed to it nothing is held.
     */
    @Property(tries = 300)
    void aSessionNeverHoldsMoreThanItsOutboundByteBudget(
            @ForAll("steps") List<Step> steps,
            @ForAll @net.jqwik.api.constraints.IntRange(min = 65_536, max = 262_144) int budget) {
        RecordingSink sink = new RecordingSink();
        sink.autoComplete = false;
        Outbound out = new Outbound(sink, 1024, budget, 4, () -> 0L);
        int biggest = 0;
        boolean closed = false;
        for (Step st : steps) {
            if (st.offer()) {
                ByteBuffer frame = ByteBuffer.wrap(new byte[st.bytes()]).asReadOnlyBuffer();
                boolean taken = st.latest() ? out.offerLatest("snapshot", frame) : out.offer(frame);
                if (!taken) {
                    closed = true;
                }
                biggest = Math.max(biggest, st.bytes());
            } else {
                for (int i = 0; i < st.reads(); i++) {
                    synchronized (sink) {
                        if (sink.pending.isEmpty()) {
                            break;
                        }
                    }
                    sink.completeOne();
                }
            }
            if (out.heldBytes() > Math.max(budget, biggest)) {
                throw new AssertionError(out.heldBytes() + " bytes held, budget " + budget);
            }
        }
        if (closed) {
            if (!CloseCodes.SLOW_CONSUMER.equals(sink.closeReason) || sink.closeCode != CloseCodes.POLICY_VIOLATION) {
                throw new AssertionError("refused without the slow-consumer close: " + sink.closeReason);
            }
            if (out.offer(ByteBuffer.allocate(1))) {
                throw new AssertionError("took a frame after the close");
            }
        }
        for (; ; ) {
            synchronized (sink) {
                if (sink.pending.isEmpty()) {
                    break;
                }
            }
            sink.completeOne();
        }
        if (out.heldBytes() != 0) {
            throw new AssertionError(out.heldBytes() + " bytes still held after the peer read everything");
        }
    }

    /**
     * The answer window under any answer sizes: it keeps at most its byte budget, an answer over
     * a quarter of it is remembered as answered-but-too-large (a retry is refused, not applied),
     * and the resume record it makes is within the budget too.
     */
    @Property(tries = 300)
    void theAnswerWindowKeepsWithinItsRecordBudget(
            @ForAll @Size(max = 200) List<@net.jqwik.api.constraints.IntRange(min = 1, max = 20_000) Integer> sizes) {
        long budget = 16 * 1024;
        RecentAnswers answers = new RecentAnswers(64, budget, budget / 4);
        int id = 0;
        for (int size : sizes) {
            id++;
            answers.remember(id, ByteBuffer.wrap(new byte[size]).asReadOnlyBuffer());
            ByteBuffer kept = answers.get(id);
            if (kept == null) {
                throw new AssertionError("the newest answer is always remembered");
            }
            if (size > budget / 4 != RecentAnswers.isTooLarge(kept)) {
                throw new AssertionError("an answer of " + size + " bytes kept as " + kept.remaining());
            }
            if (answers.bytes() > budget) {
                throw new AssertionError(answers.bytes() + " bytes kept, budget " + budget);
            }
        }
        long recordBytes =
                answers.stored().stream().mapToLong(a -> a.getFrame().size()).sum();
        if (recordBytes > budget) {
            throw new AssertionError("a resume record of " + recordBytes + " bytes");
        }
    }
}
