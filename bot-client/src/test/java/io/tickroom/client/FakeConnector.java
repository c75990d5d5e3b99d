package io.tickroom.client;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.Welcome;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A server stand-in: the test decides when connections open, what they say, and when they die. */
final class FakeConnector implements Transport.Connector {
    final List<Conn> connections = new ArrayList<>();
    final List<CompletableFuture<Transport>> deferred = new ArrayList<>();
    final List<URI> uris = new ArrayList<>();
    int refuseWith;
    /** When set, connections open only when the test calls {@link Conn#open()}. */
    boolean deferOpen;

    final class Conn implements Transport {
        final Transport.Listener listener;
        final List<ClientFrame> sent = new ArrayList<>();
        boolean closed;

        Conn(Transport.Listener listener) {
            this.listener = listener;
        }

        @Override
        public void send(ByteBuffer frame) {
            try {
                sent.add(ClientFrame.parseFrom(frame));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void close(int code, String reason) {
            closed = true;
        }

        @Override
        public void abort() {
            closed = true;
            listener.onClose(1006, "aborted");
        }

        void welcome() {
            welcome("");
        }

        void welcome(String resumeToken) {
            push(ServerFrame.newBuilder()
                    .setWelcome(Welcome.newBuilder()
                            .setSessionId("s" + connections.size())
                            .setResumeToken(resumeToken))
                    .build());
        }

        void push(ServerFrame f) {
            listener.onFrame(ByteBuffer.wrap(f.toByteArray()));
        }

        void reply(int requestId, ServerFrame.Builder f) {
            push(f.setReplyTo(requestId).build());
        }

        void open() {
            listener.onOpen(this);
        }

        void die() {
            listener.onClose(1006, "connection reset");
        }
    }

    @Override
    public CompletableFuture<Transport> connect(
            URI uri, String token, boolean tokenInQuery, Transport.Listener listener) {
        if (refuseWith != 0) {
            return CompletableFuture.failedFuture(new Transport.HandshakeRejectedException(refuseWith, "refused"));
        }
        Conn c = new Conn(listener);
        connections.add(c);
        uris.add(uri);
        if (deferOpen) {
            CompletableFuture<Transport> f = new CompletableFuture<>();
            deferred.add(f);
            return f;
        }
        listener.onOpen(c);
        return CompletableFuture.completedFuture(c);
    }

    Conn last() {
        return connections.get(connections.size() - 1);
    }
}
