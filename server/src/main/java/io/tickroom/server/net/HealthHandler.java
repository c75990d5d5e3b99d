package io.tickroom.server.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Plain HTTP: {@code GET /health} answers 200 with a small JSON body while the node serves and
 * 503 once it stops accepting; {@code GET /metrics} the Prometheus text exposition; anything else
 * is 404. (Put /metrics behind the operator network: it names nodes and counts, not users.)
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final BooleanSupplier serving;
    private final Supplier<String> status;

    private final Supplier<String> metrics;

    HealthHandler(BooleanSupplier serving, Supplier<String> status, Supplier<String> metrics) {
        this.serving = serving;
        this.status = status;
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        if (path.equals("/metrics")) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            response.write(true, ByteBuffer.wrap(metrics.get().getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }
        if (!path.equals("/health")) {
            Response.writeError(request, response, callback, 404);
            return true;
        }
        boolean up = serving.getAsBoolean();
        response.setStatus(up ? 200 : 503);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(status.get().getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }
}
