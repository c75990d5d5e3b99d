package io.tickroom.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.internal.v1.StoredAnswer;
import io.tickroom.protocol.internal.v1.StoredSession;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Resume records live in Redis across server versions: the bytes a node wrote before
 * {@code StoredSession} moved to the internal package (field numbers and types unchanged) read the
 * same, and are written the same.
 */
class StoredSessionFormatTest {
    /** session_id "s1", user_id "u", node_id "n", ended_at_ms 1000, one answer {request_id 7, frame "ok"}. */
    static final byte[] WRITTEN_BEFORE =
            HexFormat.of().parseHex("0a027331" + "120175" + "1a016e" + "20e807" + "2a06080712026f6b");

    @Test
    void aRecordWrittenBeforeTheMoveReadsAndWritesTheSame() throws Exception {
        StoredSession expected = StoredSession.newBuilder()
                .setSessionId("s1")
                .setUserId("u")
                .setNodeId("n")
                .setEndedAtMs(1_000)
                .addAnswers(StoredAnswer.newBuilder().setRequestId(7).setFrame(ByteString.copyFromUtf8("ok")))
                .build();
        assertEquals(expected, StoredSession.parseFrom(WRITTEN_BEFORE));
        assertArrayEquals(WRITTEN_BEFORE, expected.toByteArray());
    }
}
