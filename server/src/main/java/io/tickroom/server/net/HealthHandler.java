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
 * 503 once it stops accepting; anything else is 404.
 */
final class HealthHandler extends Handler.Abstract.NonBlocking {
    private final BooleanSupplier serving;
    private final Supplier<String> status;

    HealthHandler(BooleanSupplier serving, Supplier<String> status) {
        this.serving = serving;
        this.status = status;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
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
