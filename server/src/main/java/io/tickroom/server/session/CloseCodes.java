package io.tickroom.server.session;

/**
 * The WebSocket close codes Tickroom uses, with the reasons a client can branch on.
 * <ul>
 *   <li>1000 normal: the client asked</li>
 *   <li>1001 going away: the node is draining ("server draining": resume at the goodbye's
 *       reconnect_url) or shutting down ("server shutting down"), or the
 *       peer sent nothing, not even a pong, for the idle timeout ("idle timeout")</li>
 *   <li>1003 unsupported data: a text frame ("binary frames only")</li>
 *   <li>1008 policy violation: "slow consumer", "rate limit exceeded", "too many invalid frames",
 *       "write timeout", "role revoked" (an operator session refreshed with a token without the
 *       role its namespace needs)</li>
 *   <li>1009 message too big: a frame over the advertised max_frame_bytes</li>
 *   <li>1011 server error: "session could not be opened; reconnect" when setting the session up
 *       failed (its state could not be read, say); reconnecting (and resuming) is safe</li>
 *   <li>4001 "token expired": the access token ran out and no {@code refresh_token} renewed it;
 *       reconnect with a fresh token (and resume)</li>
 *   <li>4003 "kicked by an operator": do not reconnect on your own</li>
 * </ul>
 */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Never sent: how a session ended when its connection dropped without a close frame. */
    public static final int ABNORMAL = 1006;

    public static final int SERVER_ERROR = 1011;
    public static final int TOKEN_EXPIRED = 4001;
    public static final int KICKED = 4003;

    public static final String SLOW_CONSUMER = "slow consumer";
    public static final String RATE_LIMIT_EXCEEDED = "rate limit exceeded";
    public static final String TOO_MANY_INVALID_FRAMES = "too many invalid frames";
    public static final String WRITE_TIMEOUT = "write timeout";
    public static final String BINARY_ONLY = "binary frames only";
    public static final String SHUTTING_DOWN = "server shutting down";
    public static final String DRAINING = "server draining";
    public static final String IDLE_TIMEOUT = "idle timeout";
    public static final String KICKED_BY_OPERATOR = "kicked by an operator";
    public static final String TOKEN_EXPIRED_REASON = "token expired";
    public static final String OPEN_FAILED = "session could not be opened; reconnect";
    public static final String ROLE_REVOKED = "role revoked";

    private CloseCodes() {}
}
