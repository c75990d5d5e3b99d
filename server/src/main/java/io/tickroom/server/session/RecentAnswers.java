package io.tickroom.server.session;

import io.tickroom.protocol.v1.StoredAnswer;
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
 */
public final class RecentAnswers {
    /** Stands for an answer that was sent but was too large to keep (a zero-length buffer). */
    private static final ByteBuffer TOO_LARGE = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private final int maxCount;
    private final long maxBytes;
    private final long maxAnswerBytes;
    private final LinkedHashMap<Integer, ByteBuffer> answers = new LinkedHashMap<>();
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

    public synchronized void remember(int requestId, ByteBuffer encoded) {
        if (maxCount == 0 || requestId == 0) {
            return;
        }
        ByteBuffer kept = encoded.remaining() == 0 || encoded.remaining() > maxAnswerBytes ? TOO_LARGE : encoded;
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
        return answers.get(requestId);
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
        List<StoredAnswer> out = new ArrayList<>(answers.size());
        answers.forEach((id, b) -> out.add(StoredAnswer.newBuilder().setRequestId(id)
                .setFrame(com.google.protobuf.ByteString.copyFrom(b.duplicate())).build()));
        return out;
    }

    /** Takes over the answers of a resumed session (within this window's own bounds). */
    public void inherit(List<StoredAnswer> stored) {
        for (StoredAnswer a : stored) {
            remember(a.getRequestId(), ByteBuffer.wrap(a.getFrame().toByteArray()).asReadOnlyBuffer());
        }
    }
}
