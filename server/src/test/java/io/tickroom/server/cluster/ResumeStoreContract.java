package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.internal.v1.StoredAnswer;
import io.tickroom.protocol.internal.v1.StoredSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ResumeStore} must do (what {@code ResumeService} relies on): a dropped
 * session's record can be taken once within its grace, from any node; run against memory and
 * Redis.
 */
public abstract class ResumeStoreContract extends PortContract {

    /** Lets the grace of {@code sessionId}'s record ({@code graceMs}) pass. */
    protected abstract void graceOver(Cluster c, String sessionId, long graceMs) throws Exception;

    protected static StoredSession live(String sessionId) {
        return StoredSession.newBuilder()
                .setSessionId(sessionId)
                .setUserId("u-" + sessionId)
                .setNodeId(NODE)
                .build();
    }

    protected static StoredSession dropped(String sessionId, int answers) {
        StoredSession.Builder b = live(sessionId).toBuilder().setEndedAtMs(1_000);
        for (int i = 1; i <= answers; i++) {
            b.addAnswers(StoredAnswer.newBuilder().setRequestId(i).setFrame(ByteString.copyFromUtf8("answer " + i)));
        }
        return b.build();
    }

    @Test
    void aDroppedSessionIsTakenOnceWithinItsGrace() {
        ResumeStore store = cluster().resumeStore();
        store.opened(live("s1"));
        store.detached(dropped("s1", 2), 60_000);
        assertEquals(Optional.of(dropped("s1", 2)), store.take("s1"));
        assertEquals(Optional.empty(), store.take("s1"), "a second resume finds nothing");
    }

    @Test
    void aSessionClosedOnPurposeLeavesNothingToTake() {
        ResumeStore store = cluster().resumeStore();
        store.opened(live("s1"));
        store.ended("s1", NODE);
        store.detached(dropped("s2", 0), 60_000);
        store.ended("s2", NODE);
        assertEquals(Optional.empty(), store.take("s1"));
        assertEquals(Optional.empty(), store.take("s2"));
    }

    @Test
    void aSessionDroppedAgainKeepsItsLatestRecord() {
        ResumeStore store = cluster().resumeStore();
        store.detached(dropped("s1", 1), 60_000);
        store.detached(dropped("s1", 3), 60_000);
        assertEquals(3, store.take("s1").orElseThrow().getAnswersCount());
    }

    @Test
    void aRecordPastItsGraceIsGone() throws Exception {
        Cluster c = cluster();
        ResumeStore store = c.resumeStore();
        store.detached(dropped("long", 0), 60_000);
        store.detached(dropped("short", 0), 50);
        graceOver(c, "short", 50);
        assertEquals(Optional.empty(), store.take("short"));
        assertTrue(store.take("long").isPresent(), "a longer grace is not over");
    }

    @Test
    void concurrentResumesOfOneSessionGetItOnce() throws Exception {
        ResumeStore store = cluster().resumeStore();
        store.detached(dropped("s1", 1), 60_000);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Optional<StoredSession>>> takes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            takes.add(pool.submit(() -> store.take("s1")));
        }
        int won = 0;
        for (Future<Optional<StoredSession>> f : takes) {
            won += f.get(10, TimeUnit.SECONDS).isPresent() ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, won);
    }

    @Test
    void anUnknownSessionHasNothingToTake() {
        assertEquals(Optional.empty(), cluster().resumeStore().take("never-was"));
    }

    @Test
    void holdsNoRecordOnceEachIsTakenOrEnded() {
        ResumeStore store = cluster().resumeStore();
        store.detached(dropped("s1", 0), 60_000);
        store.detached(dropped("s2", 0), 60_000);
        store.take("s1");
        store.ended("s2", NODE);
        assertEquals(0, store.count());
    }
}
