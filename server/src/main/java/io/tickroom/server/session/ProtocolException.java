package io.tickroom.server.session;

import io.tickroom.protocol.v1.ErrorCode;

/**
 * A request that cannot be served, with the wire code it is answered with. Thrown by handlers at
 * the edge (validation) and turned into an {@code error} reply by the dispatcher; cheap (no stack).
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public static ProtocolException invalid(String field, String problem) {
        return new ProtocolException(ErrorCode.INVALID_ARGUMENT, field + ": " + problem);
    }
}
