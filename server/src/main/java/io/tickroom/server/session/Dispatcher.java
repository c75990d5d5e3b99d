package io.tickroom.server.session;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.tick.TimeSource;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a session's inbound frames and routes each to the handler for its body case.
 *
 * <p>Decodes on the session's Jetty thread, one frame at a time, and hands each request to the
 * session's lane ({@link SessionLanes}), where it runs after the session's open and earlier
 * requests and before its close; only the {@code inline} cases (pings, match inputs: they touch
 * nothing but memory) are served on the decoding thread. Past the lane's bound a request is
 * answered RATE_LIMITED; once the session is closing, UNAVAILABLE. It never lets an error escape: an
 * undecodable frame is answered with INVALID_FRAME (reply_to 0) and counted, and a session that
 * keeps sending them is closed (1008); a request over the rate limit is answered RATE_LIMITED
 * and costs a strike, and a session out of strikes is closed (1008 "rate limit exceeded"); an unknown case is UNSUPPORTED; a handler
 * that throws answers INTERNAL and is logged with the session, once a minute per request type
 * and failure ({@link ThrottledLog}: repeats in between are counted, then summed up in the next
 * line). Other sessions never notice.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final Map<ClientFrame.BodyCase, RequestHandler> handlers;
    private final Map<Class<? extends RuntimeException>, ErrorCode> translations;
    private final LimitsConfig limits;
    private final TimeSource time;
    private final LongAdder framesIn = new LongAdder();
    private final LongAdder invalidFrames = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder floodCloses = new LongAdder();
    private final LongAdder invalidFrameCloses = new LongAdder();
    private final LongAdder retriesAnswered = new LongAdder();
    private final Map<ErrorCode, LongAdder> errors = new EnumMap<>(ErrorCode.class);

    private final SessionLanes lanes;
    private final java.util.Set<ClientFrame.BodyCase> inline;
    /** Identical handler failures are logged once a minute, not once a request. */
    private final ThrottledLog failureLog;
    /** A role every request needs (the operator namespace's admin), re-checked per request; null: none. */
    private final String requiredRole;

    private Dispatcher(
            Map<ClientFrame.BodyCase, RequestHandler> handlers,
            Map<Class<? extends RuntimeException>, ErrorCode> translations,
            LimitsConfig limits,
            TimeSource time,
            SessionLanes lanes,
            java.util.Set<ClientFrame.BodyCase> inline,
            String requiredRole) {
        this.requiredRole = requiredRole;
        this.lanes = lanes;
        this.inline = inline;
        this.handlers = handlers;
        this.translations = translations;
        for (ErrorCode c : ErrorCode.values()) {
            if (c != ErrorCode.UNRECOGNIZED) {
                errors.put(c, new LongAdder());
            }
        }
        this.limits = limits;
        this.time = time;
        this.failureLog = new ThrottledLog(60_000_000_000L, time::nanoTime);
    }

    public static Builder builder(LimitsConfig limits, TimeSource time) {
        return new Builder(limits, time);
    }

    /** Handles one binary frame; the buffer is only read during this call. */
    public void onFrame(ClientSession session, ByteBuffer bytes) {
        framesIn.increment();
        long nowNs = time.nanoTime();
        ClientFrame frame;
        try {
            frame = ClientFrame.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            invalidFrames.increment();
            int count = session.countInvalidFrame();
            if (count >= limits.maxInvalidFrames()) {
                invalidFrameCloses.increment();
                session.closeAt(CloseCodes.POLICY_VIOLATION, CloseCodes.TOO_MANY_INVALID_FRAMES, nowNs);
            } else {
                countError(ErrorCode.INVALID_FRAME);
                session.send(Frames.error(
                        0,
                        ErrorCode.INVALID_FRAME,
                        "frame is not a tickroom.v1.ClientFrame (" + count + " of " + limits.maxInvalidFrames()
                                + " allowed)"));
            }
            return;
        }
        Request request = new Request(session, frame, nowNs, this::countError);
        if (!session.tryRequest(nowNs)) {
            rateLimited.increment();
            if (!session.strike(nowNs)) {
                floodCloses.increment();
                session.closeAt(CloseCodes.POLICY_VIOLATION, CloseCodes.RATE_LIMIT_EXCEEDED, nowNs);
            } else {
                request.fail(ErrorCode.RATE_LIMITED, "over " + limits.requestsPerSecond() + " requests/s");
            }
            return;
        }
        RequestHandler handler = handlers.get(frame.getBodyCase());
        if (handler == null) {
            request.fail(
                    ErrorCode.UNSUPPORTED,
                    frame.getBodyCase() == ClientFrame.BodyCase.BODY_NOT_SET
                            ? "empty or unknown request type"
                            : frame.getBodyCase().name().toLowerCase() + " is not served on "
                                    + session.namespace().path());
            return;
        }
        if (lanes == null || inline.contains(frame.getBodyCase())) {
            serve(handler, request);
            return;
        }
        switch (lanes.submit(session, () -> serve(handler, request))) {
            case FULL -> request.fail(ErrorCode.RATE_LIMITED, "too many requests of this session waiting; retry");
            case CLOSING -> request.fail(ErrorCode.UNAVAILABLE, "this connection is closing");
            case QUEUED -> {}
        }
    }

    /** Serves a request in its turn (on the lane, or inline): a retry gets its earlier answer, else the handler runs. */
    private void serve(RequestHandler handler, Request request) {
        ClientSession session = request.session();
        ClientFrame frame = request.frame();
        RecentAnswers earlier = session.inherited();
        if (earlier != null && frame.getRequestId() != 0) {
            ByteBuffer answer = earlier.get(frame.getRequestId());
            if (answer != null && RecentAnswers.isTooLarge(answer)) {
                // answered before the resume, but too large to keep: refused, never applied twice
                retriesAnswered.increment();
                request.fail(
                        ErrorCode.RESUME_FAILED,
                        "gap: the answer to request " + frame.getRequestId()
                                + " was too large to keep for a retry; ask again with a new request id");
                return;
            }
            if (answer != null) {
                // a retry of a request the resumed session already answered: the same answer, not applied again
                retriesAnswered.increment();
                request.answerAgain(answer);
                return;
            }
        }
        if (requiredRole != null
                && !session.principal().hasRole(requiredRole)
                && frame.getBodyCase() != ClientFrame.BodyCase.REFRESH_TOKEN) {
            // the role was checked at the handshake; a refresh may have taken it away since
            request.fail(ErrorCode.FORBIDDEN, "role '" + requiredRole + "' required");
            return;
        }
        if (frame.getBodyCase() != ClientFrame.BodyCase.RESUME
                && session.outbound().heldForResumeSinceNs() != 0) {
            session.outbound().release(); // announced a resume but asked something else first
        }
        run(handler, request);
    }

    /** Runs a handler; whatever it does, the request gets its one answer. */
    private void run(RequestHandler handler, Request request) {
        ClientSession session = request.session();
        ClientFrame frame = request.frame();
        try {
            handler.handle(request);
        } catch (ProtocolException e) {
            request.fail(e.code(), e.getMessage());
        } catch (RuntimeException e) {
            ErrorCode code = translations.get(e.getClass());
            if (code != null) {
                request.fail(code, e.getMessage());
                return;
            }
            internalErrors.increment();
            logFailure(session, frame, e);
            request.fail(ErrorCode.INTERNAL, "internal error");
        } catch (Error e) {
            internalErrors.increment();
            log.error("{}: {} failed", session, frame.getBodyCase(), e);
            request.fail(ErrorCode.INTERNAL, "internal error");
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    private void logFailure(ClientSession session, ClientFrame frame, RuntimeException e) {
        StackTraceElement[] at = e.getStackTrace();
        ThrottledLog.Verdict v =
                failureLog.occurred(java.util.List.of(frame.getBodyCase(), e.getClass(), at.length > 0 ? at[0] : ""));
        if (!v.log()) {
            return;
        }
        if (v.suppressedBefore() > 0) {
            log.error(
                    "{}: {} failed ({} more like it in the last minute were not logged)",
                    session,
                    frame.getBodyCase(),
                    v.suppressedBefore(),
                    e);
        } else {
            log.error("{}: {} failed", session, frame.getBodyCase(), e);
        }
    }

    /** Handler failures answered INTERNAL but not logged, because an identical one was logged within the minute. */
    public long failureLogsSuppressed() {
        return failureLog.suppressed();
    }

    public long framesIn() {
        return framesIn.sum();
    }

    public long invalidFrames() {
        return invalidFrames.sum();
    }

    public long rateLimited() {
        return rateLimited.sum();
    }

    /** Sessions closed with 1008 "rate limit exceeded". */
    public long floodCloses() {
        return floodCloses.sum();
    }

    /** Sessions closed with 1008 "too many invalid frames". */
    public long invalidFrameCloses() {
        return invalidFrameCloses.sum();
    }

    private void countError(ErrorCode code) {
        LongAdder a = errors.get(code);
        if (a != null) {
            a.increment();
        }
    }

    /** Error answers sent, by code. */
    public long errors(ErrorCode code) {
        LongAdder a = errors.get(code);
        return a == null ? 0 : a.sum();
    }

    /** Requests retried after a resume that got their original answer instead of being applied again. */
    public long retriesAnswered() {
        return retriesAnswered.sum();
    }

    public long internalErrors() {
        return internalErrors.sum();
    }

    /** Collects handlers by request type; each type has at most one handler. */
    public static final class Builder {
        private final Map<ClientFrame.BodyCase, RequestHandler> handlers = new EnumMap<>(ClientFrame.BodyCase.class);
        private final Map<Class<? extends RuntimeException>, ErrorCode> translations = new java.util.HashMap<>();
        private final LimitsConfig limits;
        private final TimeSource time;
        private SessionLanes lanes;
        private java.util.Set<ClientFrame.BodyCase> inline = java.util.Set.of();
        private String requiredRole;

        private Builder(LimitsConfig limits, TimeSource time) {
            this.limits = limits;
            this.time = time;
        }

        public Builder on(ClientFrame.BodyCase bodyCase, RequestHandler handler) {
            if (handlers.putIfAbsent(bodyCase, handler) != null) {
                throw new IllegalStateException("two handlers for " + bodyCase);
            }
            return this;
        }

        /** Answers exceptions of exactly this type with {@code code} and their message (not INTERNAL). */
        public Builder translate(Class<? extends RuntimeException> type, ErrorCode code) {
            translations.put(type, code);
            return this;
        }

        /**
         * Runs handlers on the sessions' lanes (off Jetty's threads), except the {@code inline}
         * ones, which never wait on anything but memory (pings, match inputs) and stay on the
         * thread that decoded them. Without lanes (socket-free tests of the dispatcher alone)
         * every handler runs inline.
         */
        public Builder lanes(SessionLanes l, java.util.Set<ClientFrame.BodyCase> inlineCases) {
            this.lanes = l;
            this.inline = java.util.Set.copyOf(inlineCases);
            return this;
        }

        /**
         * Every request needs {@code role} (checked again per request, in its turn on the lane,
         * since a {@code refresh_token} may have taken the role away).
         */
        public Builder requireRole(String role) {
            this.requiredRole = role;
            return this;
        }

        public Dispatcher build() {
            return new Dispatcher(
                    new EnumMap<>(handlers), Map.copyOf(translations), limits, time, lanes, inline, requiredRole);
        }
    }
}
