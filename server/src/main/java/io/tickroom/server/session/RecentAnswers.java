package io.tickroom.server.session;

import io.tickroom.protocol.internal.v1.StoredAnswer;
import io.tickroom.server.config.SessionConfig;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's most recent answers by request id, so that a request retried after a resume gets
 * its original answer instead of being applied twice (effectively once). Bounded by count and
 * bytes (policy past either: the oldest answer is forgotten; a retry of it is applied again).
 * An answer bigger than {@code maxAnswerBytes} (a page of lobbies, say) is not kept: only that
 * it was answered is, so a retry of it after a resume is refused with {@code RESUME_FAILED}
 * "gap" rather than applied again (see {@link #isTooLarge}). Thread-safe (answers may be sent
 * from any thread).
 *
 * <p>It also knows which requests are still waiting for their answer ({@link #expect}): a
 * request answered off its lane (a remote match placement, a match claim) may be answered after
 * its session closed, and what resumes the session must wait for that answer ({@link #settled})
 * rather than apply the retry again. Bounded by the requests a session may have waiting.
 *
 * <p>Both tables are made on first use: an idle session, or one that never sends a request id,
 * holds none (every session has one of these, so they counted in its footprint).
 */
public final class RecentAnswers {
    /** Stands for an answer that was sent but was too large to keep (a zero-length buffer). */
    private static final ByteBuffer TOO_LARGE = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final int maxCount;
    private final long maxBytes;
    private final long maxAnswerBytes;
    /** Null until the first answer is kept. */
    private LinkedHashMap<Integer, ByteBuffer> answers;
    /** Null until the first request is expected. */
    private java.util.Set<Integer> pending;

    private java.util.concurrent.CompletableFuture<Void> settled;
    private long bytes;

    /** With the default byte budgets ({@link SessionConfig#DEFAULT_RESUME_RECORD_BYTES}). */
    public RecentAnswers(int maxCount) {
        this(maxCount, SessionConfig.DEFAULT_RESUME_RECORD_BYTES, SessionConfig.DEFAULT_RESUME_RECORD_BYTES / 4);
    }

    public RecentAnswers(int maxCount, long maxBytes, long maxAnswerBytes) {
        this.maxCount = maxCount;
        this.maxBytes = maxBytes;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    /** The window a session of this configuration keeps. */
    public static RecentAnswers of(SessionConfig config) {
        return new RecentAnswers(config.answerWindow(), config.resumeRecordBytes(), config.maxKeptAnswerBytes());
    }

    /** A request that will be answered (request id non-zero) was accepted: it is waiting for its answer. */
    public synchronized void expect(int requestId) {
        if (maxCount > 0 && requestId != 0) {
            if (pending == null) {
                pending = new java.util.LinkedHashSet<>();
            }
            pending.add(requestId);
        }
    }

    /** The requests accepted and not answered yet, oldest first. */
    public synchronized List<Integer> pendingIds() {
        return pending == null ? List.of() : List.copyOf(pending);
    }

    /**
     * Completes once no request is waiting for its answer (at once when none is). Completed on the
     * thread that sends the last answer: what depends on it must not wait there.
     */
    public synchronized java.util.concurrent.CompletableFuture<Void> settled() {
        if (pending == null || pending.isEmpty()) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        if (settled == null) {
            settled = new java.util.concurrent.CompletableFuture<>();
        }
        return settled;
    }

    public void remember(int requestId, ByteBuffer encoded) {
        java.util.concurrent.CompletableFuture<Void> done = null;
        synchronized (this) {
            if (pending != null && pending.remove(requestId) && pending.isEmpty() && settled != null) {
                done = settled;
                settled = null;
            }
            keep(requestId, encoded);
        }
        if (done != null) {
            done.complete(null); // outside the lock: what waits for it may read these answers
        }
    }

    private void keep(int requestId, ByteBuffer encoded) {
        if (maxCount == 0 || requestId == 0) {
            return;
        }
        ByteBuffer kept = encoded.remaining() == 0 || encoded.remaining() > maxAnswerBytes ? TOO_LARGE : encoded;
        if (answers == null) {
            answers = new LinkedHashMap<>();
        }
        ByteBuffer old = answers.put(requestId, kept);
        if (old != null) {
            bytes -= old.remaining();
        }
        bytes += kept.remaining();
        Iterator<Map.Entry<Integer, ByteBuffer>> it = answers.entrySet().iterator();
        while ((answers.size() > maxCount || bytes > maxBytes) && it.hasNext()) {
            bytes -= it.next().getValue().remaining();
            it.remove();
        }
    }

    /**
     * The answer sent for this request id, if it is still remembered; a zero-length buffer when
     * it was answered but too large to keep ({@link #isTooLarge}).
     */
    public synchronized ByteBuffer get(int requestId) {
        return answers == null ? null : answers.get(requestId);
    }

    /** Whether {@code answer} (from {@link #get}) stands for an answer too large to keep. */
    public static boolean isTooLarge(ByteBuffer answer) {
        return answer.remaining() == 0;
    }

    /** Bytes of the answers kept. */
    public synchronized long bytes() {
        return bytes;
    }

    /** For the resume record, oldest first; an answer too large to keep is stored with an empty frame. */
    public synchronized List<StoredAnswer> stored() {
        if (answers == null) {
            return List.of();
        }
        List<StoredAnswer> out = new ArrayList<>(answers.size());
        answers.forEach((id, b) -> out.add(StoredAnswer.newBuilder()
                .setRequestId(id)
                .setFrame(com.google.protobuf.ByteString.copyFrom(b.duplicate()))
                .build()));
        return out;
    }

    /** Takes over the answers of a resumed session. */
    public synchronized void inherit(List<StoredAnswer> stored) {
        for (StoredAnswer a : stored) {
            keep(a.getRequestId(), ByteBuffer.wrap(a.getFrame().toByteArray()).asReadOnlyBuffer());
        }
    }
}
