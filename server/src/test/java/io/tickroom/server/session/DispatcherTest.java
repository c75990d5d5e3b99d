package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Ok;
import io.tickroom.protocol.v1.Ping;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.testing.RecordingSink;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Socket-free: the dispatcher's promises, with a handler that misbehaves on purpose. */
class DispatcherTest {
    final RecordingSink sink = new RecordingSink();
    final ClientSession session = new ClientSession(
            "s1",
            new Principal("u", "u", Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
            Namespace.PLAY,
            "127.0.0.1",
            sink,
            new Outbound(sink, 64, 4, () -> 0L),
            new TokenBucket(100, 100, 0),
            new TokenBucket(1, 1, 0),
            new TokenBucket(1, 10, 0));
    final TimeSource time = new TimeSource() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public long epochMillis() {
            return 0;
        }
    };

    List<ServerFrame> sent() throws Exception {
        List<ServerFrame> out = new java.util.ArrayList<>();
        for (ByteBuffer b : sink.written) {
            out.add(ServerFrame.parseFrom(b.duplicate()));
        }
        return out;
    }

    static ByteBuffer ping(int requestId) {
        return ByteBuffer.wrap(ClientFrame.newBuilder()
                .setRequestId(requestId)
                .setPing(Ping.getDefaultInstance())
                .build()
                .toByteArray());
    }

    @Test
    void aThrowingHandlerAnswersInternalAndTheSessionGoesOn() throws Exception {
        int[] calls = {0};
        Dispatcher d = Dispatcher.builder(LimitsConfig.defaults(), time)
                .on(ClientFrame.BodyCase.PING, r -> {
                    if (calls[0]++ == 0) {
                        throw new IllegalStateException("bug in a handler");
                    }
                    r.ok();
                })
                .build();
        d.onFrame(session, ping(1));
        d.onFrame(session, ping(2));
        List<ServerFrame> out = sent();
        assertEquals(2, out.size());
        assertEquals(1, out.get(0).getReplyTo());
        assertEquals(ErrorCode.INTERNAL, out.get(0).getError().getCode());
        assertEquals(2, out.get(1).getReplyTo());
        assertEquals(ServerFrame.BodyCase.OK, out.get(1).getBodyCase());
        assertEquals(1, d.internalErrors());
    }

    @Test
    void aHandlerThatAnswersTwiceOrThrowsAfterAnsweringSendsOneAnswer() throws Exception {
        Dispatcher d = Dispatcher.builder(LimitsConfig.defaults(), time)
                .on(ClientFrame.BodyCase.PING, r -> {
                    r.ok();
                    r.reply(ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()));
                    throw new IllegalStateException("late failure");
                })
                .build();
        d.onFrame(session, ping(9));
        List<ServerFrame> out = sent();
        assertEquals(1, out.size());
        assertEquals(9, out.get(0).getReplyTo());
        assertEquals(ServerFrame.BodyCase.OK, out.get(0).getBodyCase());
    }

    @Test
    void fireAndForgetRequestsGetNoAnswerEvenOnError() throws Exception {
        Dispatcher d = Dispatcher.builder(LimitsConfig.defaults(), time).build();
        d.onFrame(session, ping(0));
        assertEquals(List.of(), sent());
    }

    @Test
    void identicalHandlerFailuresAreLoggedOnceAMinuteButEachIsAnsweredInternal() throws Exception {
        long[] nowNs = {0};
        TimeSource clock = new TimeSource() {
            @Override
            public long nanoTime() {
                return nowNs[0];
            }

            @Override
            public long epochMillis() {
                return nowNs[0] / 1_000_000;
            }
        };
        Dispatcher d = Dispatcher.builder(LimitsConfig.defaults(), clock)
                .on(ClientFrame.BodyCase.PING, r -> {
                    throw new IllegalArgumentException("the same bug every time");
                })
                .build();
        for (int i = 1; i <= 50; i++) {
            d.onFrame(session, ping(i));
            nowNs[0] += 100_000_000L; // 50 requests over 5 s
        }
        assertEquals(
                50,
                sent().stream()
                        .filter(f -> f.getError().getCode() == ErrorCode.INTERNAL)
                        .count(),
                "every request is answered");
        assertEquals(50, d.internalErrors());
        assertEquals(49, d.failureLogsSuppressed(), "one stack trace, not fifty");
        nowNs[0] += 60_000_000_000L;
        d.onFrame(session, ping(51));
        assertEquals(49, d.failureLogsSuppressed(), "a minute later it is logged again (saying 49 were held back)");
    }
}
