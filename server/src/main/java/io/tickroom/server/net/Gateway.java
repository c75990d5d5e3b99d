package io.tickroom.server.net;

import io.tickroom.protocol.v1.Limits;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.Welcome;
import io.tickroom.server.auth.Principal;
import io.tickroom.server.cluster.Ids;
import io.tickroom.server.config.LimitsConfig;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.SessionConfig;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.Outbound;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.session.TokenBucket;
import io.tickroom.server.tick.TimeSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns an upgraded connection into a {@link ClientSession}: builds its outbound path and
 * limiters, queues the welcome and hands the session to its lane, which registers it and
 * releases the welcome; when the socket closes it tells the session, whose lane then runs the
 * close. Called on Jetty threads; it never waits (nothing here touches Redis).
 */
public final class Gateway {
    public static final int PROTOCOL_VERSION = 1;

    private final String nodeId;
    private final NetConfig net;
    private final LimitsConfig limits;
    private final TimeSource time;
    private final SessionRegistry registry;
    private final Map<Namespace, Dispatcher> dispatchers;
    private final Set<WsEndpoint> endpoints = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.LongAdder framesIn = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder bytesIn = new java.util.concurrent.atomic.LongAdder();

    private final SessionConfig sessions;
    private final Admission admission;
    private final java.util.function.Function<ClientSession, String> resumeTokens;
    /** The game modes this node serves, announced in every welcome. */
    private final java.util.List<String> modeNames;

    private final Welcome welcomeTemplate;

    public Gateway(
            String nodeId,
            NetConfig net,
            LimitsConfig limits,
            SessionConfig sessions,
            TimeSource time,
            SessionRegistry registry,
            Map<Namespace, Dispatcher> dispatchers,
            java.util.function.Function<ClientSession, String> resumeTokens,
            java.util.List<String> modeNames) {
        this.modeNames = java.util.List.copyOf(modeNames);
        this.sessions = sessions;
        this.resumeTokens = resumeTokens;
        this.admission = new Admission(sessions, time::nanoTime);
        this.nodeId = nodeId;
        this.net = net;
        this.limits = limits;
        this.time = time;
        this.registry = registry;
        this.dispatchers = Map.copyOf(dispatchers);
        this.welcomeTemplate = welcomeTemplate();
    }

    ClientSession open(
            WsEndpoint endpoint, JettySink sink, Principal principal, Namespace ns, String remote, boolean resuming) {
        long now = time.nanoTime();
        ClientSession session = new ClientSession(
                Ids.newId(16),
                principal,
                ns,
                remote,
                sink,
                new Outbound(
                        sink,
                        net.outboundQueueFrames(),
                        net.outboundQueueBytes(),
                        net.maxInFlightFrames(),
                        time::nanoTime),
                new TokenBucket(limits.requestsPerSecond(), limits.requestBurst(), now),
                new TokenBucket(limits.chatPerSecond(), limits.chatBurst(), now),
                new TokenBucket(Math.max(1, limits.floodCloseAfter() / 10), limits.floodCloseAfter(), now));
        session.connectedAt(time.epochMillis());
        if (ns == Namespace.PLAY) {
            session.keepAnswers(io.tickroom.server.session.RecentAnswers.of(sessions));
        }
        endpoints.add(endpoint);
        if (resuming && ns == Namespace.PLAY && sessions.resumeGraceMs() > 0) {
            // the welcome goes at once; everything after it waits for the resume request (or
            // resumeHoldMs), so the replay comes before any live push. The resume request runs
            // on the lane after the open, so it finds the session registered.
            session.send(ServerFrame.newBuilder().setWelcome(welcome(session)).build());
            session.outbound().holdForResume(now);
            registry.open(session);
            return session;
        }
        // the welcome is the first frame, but it leaves only once the lane has registered the
        // session and subscribed its rooms (clustered), so a client that has its welcome can be reached
        session.outbound().hold();
        session.send(ServerFrame.newBuilder().setWelcome(welcome(session)).build());
        registry.open(session, session.outbound()::release);
        return session;
    }

    /** The socket is gone (Jetty thread): the counts go down now, the session's close runs on its lane. */
    void closed(WsEndpoint endpoint, ClientSession session, int code, String reason) {
        if (endpoints.remove(endpoint)) {
            synchronized (endpoints) {
                endpoints.notifyAll();
            }
        }
        session.transportClosed(code, reason);
    }

    /**
     * Waits until every connection's socket has closed, or the timeout passes (a stopping node
     * lets its goodbyes and close frames reach the clients); returns whether none is left.
     */
    public boolean awaitNoConnections(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000;
        synchronized (endpoints) {
            while (!endpoints.isEmpty()) {
                long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMs <= 0) {
                    return false;
                }
                endpoints.wait(leftMs);
            }
            return true;
        }
    }

    Admission admission() {
        return admission;
    }

    private volatile java.util.function.BooleanSupplier storeReachable = () -> true;

    /**
     * Clustered: while {@code reachable} says the shared store cannot be reached, handshakes are
     * answered 503 with {@code Retry-After} (no session could be set up). Set once, at wiring.
     */
    public void refuseWhileStoreUnreachable(java.util.function.BooleanSupplier reachable) {
        this.storeReachable = reachable;
    }

    boolean storeReachable() {
        return storeReachable.getAsBoolean();
    }

    /** Handshakes refused with 429 (rates, connections per address, sessions per user). */
    public long handshakesRefused() {
        return admission.refused();
    }

    /** Client addresses with open connections, counted from accept (0 when none). */
    public int addressesOpen() {
        return admission.addressesOpen();
    }

    /** Users holding session slots (reserved at the handshake, released at the close): 0 when none. */
    public int usersHoldingSlots() {
        return admission.usersHoldingSlots();
    }

    private final java.util.concurrent.atomic.LongAdder pingsRefused = new java.util.concurrent.atomic.LongAdder();

    LimitsConfig limits() {
        return limits;
    }

    void pingRefused() {
        pingsRefused.increment();
    }

    /** Client pings not answered because they came faster than the ping rate. */
    public long pingsRefused() {
        return pingsRefused.sum();
    }

    void received(int bytes) {
        framesIn.increment();
        bytesIn.add(bytes);
    }

    /** Binary frames received on every namespace. */
    public long framesIn() {
        return framesIn.sum();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    Dispatcher dispatcher(Namespace ns) {
        return dispatchers.get(ns);
    }

    Set<WsEndpoint> endpoints() {
        return endpoints;
    }

    TimeSource time() {
        return time;
    }

    /** How long a resuming connection's pushes wait for its resume request. */
    long resumeHoldNs() {
        return sessions.resumeHoldMs() * 1_000_000L;
    }

    /**
     * The session's welcome: what every welcome of this node shares (node, protocol, modes,
     * limits) is built once, in {@link #welcomeTemplate}, and each connect adds only its own.
     */
    private Welcome welcome(ClientSession s) {
        return welcomeTemplate.toBuilder()
                .setSessionId(s.id())
                .setUserId(s.userId())
                .setUserName(s.principal().name())
                .setServerTimeMs(time.epochMillis())
                .setResumeToken(
                        s.namespace() == Namespace.PLAY && sessions.resumeGraceMs() > 0 ? resumeTokens.apply(s) : "")
                .setTokenExpiresAtMs(
                        s.principal().expiresAtMs() == Long.MAX_VALUE
                                ? 0
                                : s.principal().expiresAtMs())
                .build();
    }

    private Welcome welcomeTemplate() {
        return Welcome.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setNodeId(nodeId)
                .setResumeGraceMs((int) sessions.resumeGraceMs())
                .addAllModes(modeNames)
                .setLimits(Limits.newBuilder()
                        .setMaxFrameBytes(net.maxFrameBytes())
                        .setMaxChatChars(limits.maxChatChars())
                        .setRequestsPerSecond(limits.requestsPerSecond())
                        .setRequestBurst(limits.requestBurst())
                        .setChatPerSecond(limits.chatPerSecond())
                        .setIdleTimeoutMs((int) net.idleTimeoutMs()))
                .build();
    }
}
