package io.tickroom.server.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler every request meets: it tells {@link Connections} that the request head
 * arrived (and, through the callback, when the response went), and answers 429 with
 * {@code Retry-After} for a connection accepted past its address's cap, before anything else
 * looks at the request.
 */
final class ConnectionGate extends Handler.Wrapper {
    private final Connections connections;
    private final Admission admission;

    ConnectionGate(Connections connections, Admission admission, Handler next) {
        super(next);
        this.connections = connections;
        this.admission = admission;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Connections.Tracked t = connections.of(request.getConnectionMetaData().getRemoteSocketAddress());
        if (t == null) {
            return super.handle(request, response, callback);
        }
        connections.headArrived(t);
        Callback then = new Callback() {
            @Override
            public void succeeded() {
                connections.responded(t);
                callback.succeeded();
            }

            @Override
            public void failed(Throwable x) {
                connections.responded(t);
                callback.failed(x);
            }

            @Override
            public InvocationType getInvocationType() {
                return callback.getInvocationType();
            }
        };
        if (!t.withinCap) {
            HandshakeRejection r = admission.overAddressCap(t.address);
            response.setStatus(r.status);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, Integer.toString(r.retryAfterSeconds));
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            response.write(true, ByteBuffer.wrap((r.getMessage() + "\n").getBytes(StandardCharsets.UTF_8)), then);
            return true;
        }
        boolean handled = super.handle(request, response, then);
        if (!handled) {
            connections.responded(t); // Jetty answers 404 with its own callback
        }
        return handled;
    }
}
