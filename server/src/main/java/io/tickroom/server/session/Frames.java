package io.tickroom.server.session;

import io.tickroom.protocol.v1.Error;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import java.nio.ByteBuffer;

/** Encoding of server frames into the read-only buffers the outbound path shares. */
public final class Frames {
    private Frames() {
    }

    /** Encodes once; the result may be handed to any number of sessions. */
    public static ByteBuffer encode(ServerFrame frame) {
        return ByteBuffer.wrap(frame.toByteArray()).asReadOnlyBuffer();
    }

    public static ServerFrame error(int replyTo, ErrorCode code, String message) {
        return ServerFrame.newBuilder()
                .setReplyTo(replyTo)
                .setError(Error.newBuilder().setCode(code).setMessage(message))
                .build();
    }
}
