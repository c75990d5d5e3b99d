package io.tickroom.server.net;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Which listener serves what, when the operator endpoints have a listener of their own
 * ({@code --admin-port}). The operator listener serves {@code /metrics}, the console
 * ({@code /console}, {@code /console/api/*}) and what the console page needs on its own origin
 * ({@code /web/*}, {@code /ws/admin}, {@code /dev/token} where it exists), plus {@code /health};
 * anything else is 404 there. The public listener then answers 404 for {@code /metrics} and the
 * console, and keeps the rest ({@code /ws/play}, {@code /ws/admin}, {@code /health}, the demo
 * page). Without an operator listener everything is served on the public one. Runs on Jetty
 * threads; decides from the path and the connector only.
 */
final class ListenerRules extends Handler.Wrapper {
    /** The connector of the operator listener; null when there is none. */
    private final Connector operator;

    ListenerRules(Connector operator, Handler next) {
        super(next);
        this.operator = operator;
    }

    /** Served on the operator listener only (when there is one). */
    static boolean operatorOnly(String path) {
        return path.equals("/metrics") || path.equals("/console") || path.startsWith("/console/");
    }

    /** Served on the operator listener. */
    static boolean onOperatorListener(String path) {
        return operatorOnly(path)
                || path.equals("/health")
                || path.equals("/ws/admin")
                || path.equals("/dev/token")
                || path.startsWith("/web/");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (operator != null) {
            String path = Request.getPathInContext(request);
            boolean onOperator = request.getConnectionMetaData().getConnector() == operator;
            if (onOperator ? !onOperatorListener(path) : operatorOnly(path)) {
                Response.writeError(request, response, callback, 404);
                return true;
            }
        }
        return super.handle(request, response, callback);
    }
}
