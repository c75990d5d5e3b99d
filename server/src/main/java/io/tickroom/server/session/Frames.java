package io.tickroom.server.session;

import io.tickroom.protocol.v1.Error;
import io.tickroom.protocol.v1.ErrorCode;
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
        int size = com.google.protobuf.CodedOutputStream.computeUInt32Size(ServerFrame.REPLY_TO_FIELD_NUMBER, replyTo)
                + com.google.protobuf.CodedOutputStream.computeBytesSize(bodyField, body);
        byte[] out = new byte[size];
        com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(out);
        try {
            o.writeUInt32(ServerFrame.REPLY_TO_FIELD_NUMBER, replyTo);
            o.writeBytes(bodyField, body);
            o.checkNoSpaceLeft();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("sized exactly, cannot overflow", e);
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
