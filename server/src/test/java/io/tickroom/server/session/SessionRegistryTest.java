package io.tickroom.server.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.Welcome;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.testing.RecordingSink;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Socket-free: opening a session is all or nothing. */
@Timeout(30)
class SessionRegistryTest {
    final SessionLanes lanes = new SessionLanes("test", 2, 8);
    final SessionRegistry registry = new SessionRegistry(lanes);
    final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        lanes.close();
    }

    @Test
    void anOpenThatFailsIsRolledBackWithoutItsWelcomeAndCannotBeResumed() throws Exception {
        registry.addListener(new SessionListener() {
            @Override
            public void opened(ClientSession s) {
                events.add("rooms opened");
            }

            @Override
            public void closed(ClientSession s) {
                events.add("rooms closed");
            }
        });
        registry.addListener(new SessionListener() {
            @Override
            public void opened(ClientSession s) {
                throw new IllegalStateException("store at 10.0.0.7:6379 refused the connection");
            }
        });
        for (int i = 0; i < 20; i++) {
            RecordingSink sink = new RecordingSink();
            ClientSession s = new ClientSession(
                    "s" + i,
                    new Principal("u", "u", Set.of(), Long.MAX_VALUE, OptionalInt.empty()),
                    Namespace.PLAY,
                    "127.0.0.1",
                    sink,
                    new Outbound(sink, 64, 8, () -> 0L),
                    new TokenBucket(1, 1, 0),
                    new TokenBucket(1, 1, 0),
                    new TokenBucket(1, 1, 0));
            s.outbound().hold();
            s.send(ServerFrame.newBuilder()
                    .setWelcome(Welcome.newBuilder().setSessionId(s.id()))
                    .build());
            registry.open(s, s.outbound()::release);
            assertTrue(registry.awaitEmpty(5_000), "the failed open's close ran");
            synchronized (sink) {
                assertEquals(List.of(), sink.written, "no welcome for a session that never opened");
                assertEquals(CloseCodes.SERVER_ERROR, sink.closeCode);
                assertEquals(CloseCodes.OPEN_FAILED, sink.closeReason, "no internals in the reason");
            }
            assertFalse(s.resumable(), "nothing to resume");
        }
        assertEquals(0, registry.count());
        assertEquals(0, registry.userCount());
        assertEquals(20, registry.openFailures());
        assertEquals(20, events.stream().filter("rooms closed"::equals).count(), "every open undone: " + events);
    }
}
