package io.tickroom.server.session;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import io.tickroom.protocol.v1.Error;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.MatchSnapshot;
import io.tickroom.protocol.v1.ServerFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/** Encoding of server frames into the read-only buffers the outbound path shares. */
public final class Frames {
    private static final LongAdder ENCODED = new LongAdder();

    private Frames() {}

    /** Encodes once; the result may be handed to any number of sessions. */
    public static ByteBuffer encode(ServerFrame frame) {
        ENCODED.increment();
        return ByteBuffer.wrap(frame.toByteArray()).asReadOnlyBuffer();
    }

    /** Frames encoded by this process so far: a broadcast adds one, whatever its audience. */
    public static long encodedFrames() {
        return ENCODED.sum();
    }

    /**
     * A {@code ServerFrame} answering {@code replyTo} whose body is field {@code bodyField},
     * already encoded ({@code body}, shared by many answers): the per-answer work is a copy
     * behind a few bytes of header, not a re-encoding.
     */
    public static ByteBuffer answer(int replyTo, int bodyField, com.google.protobuf.ByteString body) {
        BlankAnswer blank = blankAnswer(replyTo, bodyField, body.size());
        body.copyTo(blank.bytes(), blank.bodyAt());
        return ByteBuffer.wrap(blank.bytes()).asReadOnlyBuffer();
    }

    /**
     * An answer's frame with its body still to write: {@code bytes} holds {@code reply_to} and the
     * tag and length of field {@code bodyField}, then {@code bodySize} bytes from {@code bodyAt}
     * for the caller to fill (an answer assembled from pieces, written once, not copied again).
     */
    public record BlankAnswer(byte[] bytes, int bodyAt) {}

    /** The frame of an answer of {@code bodySize} bytes, header written (see {@link BlankAnswer}). */
    public static BlankAnswer blankAnswer(int replyTo, int bodyField, int bodySize) {
        int header = CodedOutputStream.computeUInt32Size(ServerFrame.REPLY_TO_FIELD_NUMBER, replyTo)
                + CodedOutputStream.computeTagSize(bodyField)
                + CodedOutputStream.computeUInt32SizeNoTag(bodySize);
        byte[] out = new byte[header + bodySize];
        CodedOutputStream o = CodedOutputStream.newInstance(out, 0, header);
        try {
            o.writeUInt32(ServerFrame.REPLY_TO_FIELD_NUMBER, replyTo);
            o.writeTag(bodyField, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(bodySize);
            o.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sized exactly, cannot overflow", e);
        }
        return new BlankAnswer(out, header);
    }

    /**
     * A {@code match_snapshot} frame, written field by field into one exactly sized array: the
     * same bytes as encoding {@code ServerFrame{match_snapshot{match_id, tick, payload}}}, without
     * the two messages and their builders per tick ({@code matchId} is the match's id, encoded once).
     */
    public static ByteBuffer snapshot(
            com.google.protobuf.ByteString matchId, long tick, com.google.protobuf.ByteString payload) {
        ENCODED.increment();
        int inner = (matchId.isEmpty()
                        ? 0
                        : CodedOutputStream.computeBytesSize(MatchSnapshot.MATCH_ID_FIELD_NUMBER, matchId))
                + (tick == 0 ? 0 : CodedOutputStream.computeUInt64Size(MatchSnapshot.TICK_FIELD_NUMBER, tick))
                + (payload.isEmpty()
                        ? 0
                        : CodedOutputStream.computeBytesSize(MatchSnapshot.PAYLOAD_FIELD_NUMBER, payload));
        int size = CodedOutputStream.computeTagSize(ServerFrame.MATCH_SNAPSHOT_FIELD_NUMBER)
                + CodedOutputStream.computeUInt32SizeNoTag(inner)
                + inner;
        byte[] out = new byte[size];
        CodedOutputStream o = CodedOutputStream.newInstance(out);
        try {
            o.writeTag(ServerFrame.MATCH_SNAPSHOT_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            o.writeUInt32NoTag(inner);
            if (!matchId.isEmpty()) {
                o.writeBytes(MatchSnapshot.MATCH_ID_FIELD_NUMBER, matchId);
            }
            if (tick != 0) {
                o.writeUInt64(MatchSnapshot.TICK_FIELD_NUMBER, tick);
            }
            if (!payload.isEmpty()) {
                o.writeBytes(MatchSnapshot.PAYLOAD_FIELD_NUMBER, payload);
            }
            o.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("snapshot frame sized " + size + ", written otherwise: " + e, e);
        }
        return ByteBuffer.wrap(out).asReadOnlyBuffer();
    }

    public static ServerFrame error(int replyTo, ErrorCode code, String message) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setError(Error.newBuilder().setCode(code).setMessage(message))
                .build();
    }
}
