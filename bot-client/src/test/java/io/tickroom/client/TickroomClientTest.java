package io.tickroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.Ok;
import io.tickroom.protocol.v1.Ping;
import io.tickroom.protocol.v1.ServerFrame;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The client library with a fake clock and a fake server: no sockets, no sleeps. */
class TickroomClientTest {
    final FakeTimer timer = new FakeTimer();
    final FakeConnector server = new FakeConnector();
    final List<String> events = new ArrayList<>();

    TickroomClient client(ClientConfig config) {
        TickroomClient c = new TickroomClient(config, server, timer, new Random(42));
        c.onConnection(new ConnectionListener() {
            @Override
            public void disconnected(int code, String reason) {
                events.add("disconnected " + code);
            }

            @Override
            public void reconnecting(int attempt, long delayMs) {
                events.add("reconnecting " + attempt);
            }

            @Override
            public void reconnected(int attempts) {
                events.add("reconnected after " + attempts);
            }

            @Override
            public void gaveUp(String reason) {
                events.add("gave up");
            }

            @Override
            public void resumed(String sessionId, int replayed) {
                events.add("resumed " + sessionId + " " + replayed);
            }

            @Override
            public void sessionExpired(io.tickroom.protocol.v1.ResumeFailedReason reason, String message) {
                events.add("expired " + message);
                events.add("reason " + reason);
            }
        });
        return c;
    }

    static ClientConfig config() {
        return ClientConfig.of(URI.create("ws://127.0.0.1:1/ws/play"), () -> "token")
                .withRequestTimeoutMs(1_000)
                .withBackoff(new Backoff(100, 1_000, 3))
                .withMaxQueuedFrames(3);
    }

    static ClientFrame.Builder ping(long marker) {
        return ClientFrame.newBuilder().setPing(Ping.newBuilder().setClientTimeMs(marker));
    }

    static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), "expected a failed future");
        try {
            f.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void backoffCeilingsDoubleUpToTheCapAndDelaysStayWithinThem() {
        Backoff b = new Backoff(100, 1_000, 0);
        assertEquals(
                List.of(100L, 200L, 400L, 800L, 1_000L, 1_000L),
                List.of(
                        b.ceilingMs(1),
                        b.ceilingMs(2),
                        b.ceilingMs(3),
                        b.ceilingMs(4),
                        b.ceilingMs(5),
                        b.ceilingMs(40)));
        Random r = new Random(7);
        for (int attempt = 1; attempt <= 8; attempt++) {
            long sum = 0;
            long min = Long.MAX_VALUE;
            long max = 0;
            for (int i = 0; i < 10_000; i++) {
                long d = b.delayMs(attempt, r);
                assertTrue(d >= 0 && d <= b.ceilingMs(attempt));
                sum += d;
                min = Math.min(min, d);
                max = Math.max(max, d);
            }
            double mean = sum / 10_000.0;
            // full jitter: uniform over [0, ceiling], so the mean is near half the ceiling
            assertEquals(b.ceilingMs(attempt) / 2.0, mean, b.ceilingMs(attempt) * 0.05);
            assertTrue(min < b.ceilingMs(attempt) * 0.05 && max > b.ceilingMs(attempt) * 0.95);
        }
        assertFalse(new Backoff(100, 1_000, 3).exhausted(3));
        assertTrue(new Backoff(100, 1_000, 3).exhausted(4));
        assertFalse(new Backoff(100, 1_000, 0).exhausted(1_000));
    }

    @Test
    void aRequestWithoutAnswerTimesOutAndALateAnswerIsIgnored() {
        TickroomClient c = client(config());
        c.connect();
        server.last().welcome();
        CompletableFuture<ServerFrame> f = c.request(ping(1));
        int id = server.last().sent.get(0).getRequestId();
        timer.advance(999);
        assertFalse(f.isDone());
        timer.advance(1);
        assertInstanceOf(RequestTimeoutException.class, failure(f));
        server.last().reply(id, ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()));
        assertEquals(0, c.pendingRequests());
    }

    @Test
    void anAnswerCompletesTheRequestAndCancelsItsTimer() throws Exception {
        TickroomClient c = client(config());
        c.connect();
        server.last().welcome();
        CompletableFuture<ServerFrame> f = c.request(ping(1));
        server.last()
                .reply(
                        server.last().sent.get(0).getRequestId(),
                        ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()));
        assertTrue(f.get().hasOk());
        assertEquals(0, timer.pendingTasks());
    }

    @Test
    void whileDisconnectedSendsQueueUpToTheLimitThenAreRejected() {
        TickroomClient c = client(config());
        c.connect(); // connected but no welcome yet: not open
        CompletableFuture<ServerFrame> a = c.request(ping(1));
        CompletableFuture<ServerFrame> b = c.request(ping(2));
        CompletableFuture<ServerFrame> d = c.request(ping(3));
        CompletableFuture<ServerFrame> overflow = c.request(ping(4));
        assertInstanceOf(QueueFullException.class, failure(overflow));
        assertEquals(3, c.queuedFrames());
        assertFalse(a.isDone() || b.isDone() || d.isDone());
        assertTrue(server.last().sent.isEmpty(), "nothing is sent before the welcome");
    }

    @Test
    void queuedSendsFlushInOrderAfterTheWelcomeAndTimedOutOnesAreNotSent() {
        TickroomClient c = client(config().withRequestTimeoutMs(1_000));
        c.connect();
        CompletableFuture<ServerFrame> early = c.request(ping(1));
        timer.advance(600);
        c.request(ping(2));
        c.request(ping(3));
        timer.advance(500); // the first one has now waited 1.1 s
        assertInstanceOf(RequestTimeoutException.class, failure(early));
        server.last().welcome();
        List<Long> sent = server.last().sent.stream()
                .map(f -> f.getPing().getClientTimeMs())
                .toList();
        assertEquals(List.of(2L, 3L), sent);
    }

    @Test
    void reconnectsWithBackoffTellsTheApplicationAndFlushesWhatWasQueued() {
        TickroomClient c = client(config());
        c.connect();
        server.last().welcome();
        CompletableFuture<ServerFrame> inFlight = c.request(ping(1));
        server.last().die();
        assertInstanceOf(ConnectionLostException.class, failure(inFlight), "sent but unanswered: outcome unknown");
        assertEquals(List.of("disconnected 1006", "reconnecting 1"), events);
        c.request(ping(2)); // queued while away
        timer.advance(100); // attempt 1's delay is at most 100 ms
        assertEquals(2, server.connections.size());
        server.last().welcome();
        assertEquals("reconnected after 1", events.get(events.size() - 1));
        assertEquals(2L, server.last().sent.get(0).getPing().getClientTimeMs());
        assertTrue(c.isOpen());
        assertEquals(1, c.stats().reconnects());
    }

    @Test
    void givesUpAfterMaxAttempts() {
        TickroomClient c = client(config());
        c.connect();
        server.last().welcome();
        server.refuseWith = 0;
        server.last().die();
        for (int i = 0; i < 3; i++) {
            timer.advance(1_000);
            server.last().die(); // every attempt connects and dies before its welcome
        }
        assertEquals("gave up", events.get(events.size() - 1));
        assertInstanceOf(ConnectionLostException.class, failure(c.request(ping(9))));
    }

    @Test
    void aRefusedHandshakeGivesUpAtOnce() {
        server.refuseWith = 401;
        TickroomClient c = client(config());
        CompletableFuture<?> welcome = c.connect();
        assertEquals(List.of("gave up"), events);
        assertInstanceOf(ConnectionLostException.class, failure(welcome));
    }

    @Test
    void pushesReachListenersByType() {
        TickroomClient c = client(config());
        List<String> got = new ArrayList<>();
        c.on(ServerFrame.BodyCase.OK, f -> got.add("ok"));
        c.onAnyPush(f -> got.add(f.getBodyCase().name()));
        c.connect();
        server.last().welcome();
        server.last()
                .push(ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()).build());
        assertEquals(List.of("WELCOME", "ok", "OK"), got);
    }

    @Test
    void aSlowAttemptThatOpensAfterItWasGivenUpOnIsClosedNotAdopted() {
        server.deferOpen = true;
        TickroomClient c = client(config());
        c.connect();
        FakeConnector.Conn slow = server.last();
        server.deferred.get(0).completeExceptionally(new java.util.concurrent.TimeoutException("connect timed out"));
        timer.advance(100);
        FakeConnector.Conn second = server.last();
        slow.open(); // the first attempt's socket finally opens
        assertTrue(slow.closed, "a superseded attempt is closed, never left open unread");
        second.open();
        second.welcome();
        assertTrue(c.isOpen());
        assertFalse(second.closed);
    }

    static ServerFrame chat(String lobby, long seq, String text) {
        return ServerFrame.newBuilder()
                .setStream("lobby:" + lobby)
                .setSeq(seq)
                .setChat(io.tickroom.protocol.v1.ChatMessage.newBuilder().setText(text))
                .build();
    }

    @Test
    void afterADropItResumesRetriesUnansweredRequestsWithTheirIdsAndDeliversEachPushOnce() throws Exception {
        TickroomClient c = client(config());
        List<String> chats = new ArrayList<>();
        c.on(
                ServerFrame.BodyCase.CHAT,
                f -> chats.add(f.getSeq() + " " + f.getChat().getText()));
        c.connect();
        server.last().welcome("token-1");
        server.last().push(chat("L", 1, "a"));
        server.last().push(chat("L", 2, "b"));
        CompletableFuture<ServerFrame> inFlight = c.request(ping(7));
        int id = server.last().sent.get(0).getRequestId();
        server.last().die();
        assertTrue(!inFlight.isDone(), "kept for the resume, not failed");

        timer.advance(100);
        assertTrue(server.uris.get(1).toString().endsWith("?resume=1"), "the reconnect announces the resume");
        server.last().welcome("token-2");
        ClientFrame first = server.last().sent.get(0);
        assertEquals("token-1", first.getResume().getResumeToken(), "the resume goes first, with the old token");
        assertEquals(java.util.Map.of("lobby:L", 2L), first.getResume().getLastSeqsMap());
        assertEquals(1, server.last().sent.size(), "nothing retried before the resume is answered");
        server.last()
                .reply(
                        first.getRequestId(),
                        ServerFrame.newBuilder()
                                .setResumed(io.tickroom.protocol.v1.Resumed.newBuilder()
                                        .setSessionId("s1")
                                        .setReplayed(1)));
        assertEquals(id, server.last().sent.get(1).getRequestId(), "the unanswered request again, same id");
        server.last().push(chat("L", 2, "b")); // overlaps what was seen
        server.last().push(chat("L", 3, "c"));
        server.last().reply(id, ServerFrame.newBuilder().setPong(io.tickroom.protocol.v1.Pong.newBuilder()));
        assertTrue(inFlight.get().hasPong());
        assertEquals(List.of("1 a", "2 b", "3 c"), chats, "each push once");
        assertTrue(events.contains("resumed s1 1"), events.toString());
        assertEquals(1, c.stats().duplicatesDropped());
    }

    @Test
    void aRefusedResumeFailsWhatWasInFlightAndSaysTheSessionExpired() {
        TickroomClient c = client(config());
        c.connect();
        server.last().welcome("token-1");
        server.last().push(chat("L", 5, "a"));
        CompletableFuture<ServerFrame> inFlight = c.request(ping(1));
        server.last().die();
        timer.advance(100);
        server.last().welcome("token-2");
        ClientFrame resume = server.last().sent.get(0);
        server.last()
                .reply(
                        resume.getRequestId(),
                        ServerFrame.newBuilder()
                                .setError(io.tickroom.protocol.v1.Error.newBuilder()
                                        .setCode(io.tickroom.protocol.v1.ErrorCode.RESUME_FAILED)
                                        .setMessage("expired: too late")
                                        .setResumeFailedReason(
                                                io.tickroom.protocol.v1.ResumeFailedReason.RESUME_EXPIRED)));
        assertInstanceOf(ConnectionLostException.class, failure(inFlight), "outcome unknown: failed, not retried");
        assertEquals(1, server.last().sent.size());
        assertTrue(events.contains("expired expired: too late"), events.toString());
        assertTrue(events.contains("reason RESUME_EXPIRED"), "the typed reason, read from the error: " + events);
        List<String> chats = new ArrayList<>();
        c.on(ServerFrame.BodyCase.CHAT, f -> chats.add(f.getChat().getText()));
        server.last().push(chat("L", 1, "new session"));
        assertEquals(
                List.of("new session"), chats, "the new session's seqs start over and are not taken for duplicates");
    }
}
