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

    Request(ClientSession session, ClientFrame frame, long receivedAtNs) {
        this.session = session;
        this.frame = frame;
        this.receivedAtNs = receivedAtNs;
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
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (id() != 0) {
            session.send(result.setReplyTo(id()).build());
        }
        return true;
    }

    public boolean ok() {
        return reply(ServerFrame.newBuilder().setOk(Ok.getDefaultInstance()));
    }

    public boolean fail(ErrorCode code, String message) {
        if (!answered.compareAndSet(false, true)) {
            return false;
        }
        if (id() != 0) {
            session.send(Frames.error(id(), code, message));
        }
        return true;
    }

    public boolean isAnswered() {
        return answered.get();
    }
}
