package io.tickroom.server.session;

import io.tickroom.protocol.v1.Error;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;

/** Encoding of server frames into the read-only buffers the outbound path shares. */
public final class Frames {
    private static final LongAdder ENCODED = new LongAdder();

    private Frames() {
    }

    /** Encodes once; the result may be handed to any number of sessions. */
    public static ByteBuffer encode(ServerFrame frame) {
        ENCODED.increment();
        return ByteBuffer.wrap(frame.toByteArray()).asReadOnlyBuffer();
    }

    /** Frames encoded by this process so far: a broadcast adds one, whatever its audience. */
    public static long encodedFrames() {
        return ENCODED.sum();
    }

    public static ServerFrame error(int replyTo, ErrorCode code, String message) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setError(Error.newBuilder().setCode(code).setMessage(message))
                .build();
    }
}
