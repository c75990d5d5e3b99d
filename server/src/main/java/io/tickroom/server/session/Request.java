package io.tickroom.server.session;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.Ok;
import io.tickroom.protocol.v1.ServerFrame;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client request and its single answer. Whatever the handler does, the client gets at most
 * one answer (the first), and the dispatcher makes sure it gets one when the handler fails.
 * With request id 0 (fire-and-forget) answers are dropped.
 */
public final class Request {
    private final ClientSession session;
    private final ClientFrame frame;
    private final long receivedAtNs;
    private final AtomicBoolean answered = new AtomicBoolean();

    private final java.util.function.Consumer<ErrorCode> errors;

    Request(
            ClientSession session,
            ClientFrame frame,
            long receivedAtNs,
            java.util.function.Consumer<ErrorCode> errors) {
        this.errors = errors;
        this.session = session;
        this.frame = frame;
        this.receivedAtNs = receivedAtNs;
        session.answers().expect(frame.getRequestId()); // until its answer is sent, whenever that is
    }

    public ClientSession session() {
        return session;
    }

    public ClientFrame frame() {
        return frame;
    }

    public int id() {
        return frame.getRequestId();
    }

    public long receivedAtNs() {
        return receivedAtNs;
    }

    /** Answers with a result; {@code reply_to} is filled in here. Returns false if already answered. */
    public boolean reply(ServerFrame.Builder result) {
        return replyVia(result, session.outbound()::offer);
    }

    /**
     * Answers, but hands the encoded answer to {@code deliver} instead of queueing it (a resume
     * puts its answer ahead of what the connection holds). Remembered like any answer; with
     * request id 0 nothing is sent and {@code deliver} is not called.
     */
    public boolean replyVia(ServerFrame.Builder result, java.util.function.Consumer<java.nio.ByteBuffer> deliver) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (id() != 0) {
            send(Frames.encode(result.setReplyTo(id()).build()), deliver);
        }
        return true;
    }

    private void send(java.nio.ByteBuffer encoded, java.util.function.Consumer<java.nio.ByteBuffer> deliver) {
        session.answers().remember(id(), encoded);
        deliver.accept(encoded);
    }

    /**
     * Answers with an encoding the caller made (a page shared by many requests): it must be a
     * {@code ServerFrame} with this request's {@code reply_to} ({@link Frames#answer}). Same
     * returns as {@link #reply}.
     */
    public boolean replyEncoded(java.nio.ByteBuffer encoded) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (id() != 0) {
            send(encoded, session.outbound()::offer);
        }
        return true;
    }

    public boolean ok() {
        return reply(ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()));
    }

    public boolean fail(ErrorCode code, String message) {
        return fail(io.tickroom.protocol.v1.Error.newBuilder()
                .setCode(code)
                .setMessage(message)
                .build());
    }

    /** Answers with this error (its code, message and any detail, such as a resume refusal's reason). */
    public boolean fail(io.tickroom.protocol.v1.Error error) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        errors.accept(error.getCode());
        if (id() != 0) {
            send(
                    Frames.encode(ServerFrame.newBuilder()
                            .setReplyTo(id())
                            .setError(error)
                            .build()),
                    session.outbound()::offer);
        }
        return true;
    }

    /**
     * Answers with the answer the session this connection resumed gave the same request id (a
     * retry after a resume): sent again as it was, not applied again.
     */
    boolean answerAgain(java.nio.ByteBuffer earlier) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        send(earlier, session.outbound()::offer);
        return true;
    }

    public boolean isAnswered() {
        return answered.get();
    }
}
