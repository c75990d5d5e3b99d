package io.tickroom.server.session;

import io.tickroom.protocol.v1.StoredAnswer;
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
 * Thread-safe (answers may be sent from any thread).
 */
public final class RecentAnswers {
    static final int MAX_BYTES = 64 * 1024;
    private final int maxCount;
    private final LinkedHashMap<Integer, ByteBuffer> answers = new LinkedHashMap<>();
    private int bytes;

    public RecentAnswers(int maxCount) {
        this.maxCount = maxCount;
    }

    public synchronized void remember(int requestId, ByteBuffer encoded) {
        if (maxCount == 0 || requestId == 0 || encoded.remaining() > MAX_BYTES) {
            return;
        }
        ByteBuffer old = answers.put(requestId, encoded);
        if (old != null) {
            bytes -= old.remaining();
        }
        bytes += encoded.remaining();
        Iterator<Map.Entry<Integer, ByteBuffer>> it = answers.entrySet().iterator();
        while ((answers.size() > maxCount || bytes > MAX_BYTES) && it.hasNext()) {
            bytes -= it.next().getValue().remaining();
            it.remove();
        }
    }

    /** The answer sent for this request id, if it is still remembered. */
    public synchronized ByteBuffer get(int requestId) {
        return answers.get(requestId);
    }

    /** For the resume record, oldest first. */
    public synchronized List<StoredAnswer> stored() {
        List<StoredAnswer> out = new ArrayList<>(answers.size());
        answers.forEach((id, b) -> out.add(StoredAnswer.newBuilder().setRequestId(id)
                .setFrame(com.google.protobuf.ByteString.copyFrom(b.duplicate())).build()));
        return out;
    }

    /** Takes over the answers of a resumed session. */
    public void inherit(List<StoredAnswer> stored) {
        for (StoredAnswer a : stored) {
            remember(a.getRequestId(), ByteBuffer.wrap(a.getFrame().toByteArray()).asReadOnlyBuffer());
        }
    }
}
