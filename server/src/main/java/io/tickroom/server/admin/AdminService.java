package io.tickroom.server.admin;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.AdminResult;
import io.tickroom.protocol.v1.Announce;
import io.tickroom.protocol.v1.Announcement;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.KickUser;
import io.tickroom.protocol.v1.ListSessions;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.SessionInfo;
import io.tickroom.protocol.v1.SessionList;
import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.lobby.Fields;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.room.RoomId;
import io.tickroom.server.room.Rooms;
import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.session.Request;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.tick.TimeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator namespace ({@code /ws/admin}, role {@code admin}): list sessions across the
 * cluster, kick a user on every node, close a lobby, announce, drain a node. Cluster-wide
 * requests are scattered to every live node through {@link NodeCalls} and answered within their
 * timeout with what came back and the nodes that did not answer; the answer never waits on a
 * slow or dead node, and no thread waits for it (the reply is sent when the call completes). A kick hands
 * each session's close to its lane (after its goodbye is queued).
 */
public final class AdminService {
    /** A node lists at most this many sessions per answer (the admin can narrow by room). */
    public static final int MAX_SESSIONS_PER_NODE = 10_000;

    static final int DEFAULT_TIMEOUT_MS = 1_000;
    static final int MAX_TIMEOUT_MS = 10_000;

    private final String nodeId;
    private final SessionRegistry registry;
    private final Rooms rooms;
    private final LobbyService lobbies;
    private final NodeCalls calls;
    private final TimeSource time;
    private final Function<String, Boolean> drain;

    /** {@code drain} drains this node when asked for its id (or any id when the argument is empty); returns whether it did. */
    public AdminService(
            String nodeId,
            SessionRegistry registry,
            Rooms rooms,
            LobbyService lobbies,
            NodeCalls calls,
            TimeSource time,
            Function<String, Boolean> drain) {
        this.nodeId = nodeId;
        this.registry = registry;
        this.rooms = rooms;
        this.lobbies = lobbies;
        this.calls = calls;
        this.time = time;
        this.drain = drain;
        calls.serve(
                "sessions", q -> localSessions(parse(ListSessions.parser(), q)).toByteArray());
        calls.serve("kick", q -> result(kickHere(parse(KickUser.parser(), q))));
        calls.serve("announce", q -> result(announceHere(parse(Announce.parser(), q))));
        calls.serve(
                "drain",
                q -> result(
                        drain.apply(parse(io.tickroom.protocol.v1.DrainNode.parser(), q)
                                        .getNodeId())
                                ? 1
                                : 0));
    }

    public void register(Dispatcher.Builder d) {
        d.on(ClientFrame.BodyCase.LIST_SESSIONS, this::listSessions)
                .on(ClientFrame.BodyCase.KICK_USER, this::kickUser)
                .on(ClientFrame.BodyCase.ANNOUNCE, this::announce)
                .on(ClientFrame.BodyCase.CLOSE_LOBBY, this::closeLobby)
                .on(ClientFrame.BodyCase.DRAIN_NODE, this::drainNode);
    }

    void listSessions(Request r) {
        ListSessions q = r.frame().getListSessions();
        if (!q.getRoom().isEmpty() && room(q.getRoom()).isEmpty()) {
            throw ProtocolException.invalid("room", "must be lobby:{id}, user:{id} or match:{id}");
        }
        gather(r, "sessions", q.toByteArray(), timeout(q.getTimeoutMs()), g -> {
            SessionList.Builder out = SessionList.newBuilder().addAllMissingNodes(g.missing());
            for (Map.Entry<String, byte[]> e : g.answers().entrySet()) {
                out.addNodesAnswered(e.getKey());
                out.addAllSessions(parse(SessionList.parser(), e.getValue()).getSessionsList());
            }
            return ServerFrame.newBuilder().setSessionList(out);
        });
    }

    void kickUser(Request r) {
        KickUser k = r.frame().getKickUser();
        Fields.id("user_id", k.getUserId());
        gather(r, "kick", k.toByteArray(), DEFAULT_TIMEOUT_MS, AdminService::summed);
    }

    void announce(Request r) {
        Announce a = r.frame().getAnnounce();
        Fields.text("text", a.getText(), 500);
        gather(r, "announce", a.toByteArray(), DEFAULT_TIMEOUT_MS, AdminService::summed);
    }

    void closeLobby(Request r) {
        String lobbyId = Fields.id("lobby_id", r.frame().getCloseLobby().getLobbyId());
        int removed = lobbies.close(lobbyId);
        r.reply(ServerFrame.newBuilder()
                .setAdminResult(AdminResult.newBuilder().setAffected(removed).addNodesAnswered(nodeId)));
    }

    void drainNode(Request r) {
        String target = r.frame().getDrainNode().getNodeId();
        String id = target.isEmpty() ? nodeId : target;
        gather(
                r,
                "drain",
                io.tickroom.protocol.v1.DrainNode.newBuilder()
                        .setNodeId(id)
                        .build()
                        .toByteArray(),
                DEFAULT_TIMEOUT_MS,
                g -> {
                    ServerFrame.Builder f = summed(g);
                    if (f.getAdminResult().getAffected() == 0 && !g.missing().contains(id)) {
                        return ServerFrame.newBuilder()
                                .setError(io.tickroom.protocol.v1.Error.newBuilder()
                                        .setCode(ErrorCode.NOT_FOUND)
                                        .setMessage("no live node " + id));
                    }
                    return f;
                });
    }

    private void gather(
            Request r,
            String kind,
            byte[] query,
            long timeoutMs,
            Function<NodeCalls.Gathered, ServerFrame.Builder> answer) {
        calls.askAll(kind, query, timeoutMs).whenComplete((g, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                r.fail(
                        cause instanceof ClusterUnavailableException ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                        String.valueOf(cause.getMessage()));
                return;
            }
            ServerFrame.Builder f = answer.apply(g);
            if (f.hasError()) {
                r.fail(f.getError().getCode(), f.getError().getMessage());
            } else {
                r.reply(f);
            }
        });
    }

    private static ServerFrame.Builder summed(NodeCalls.Gathered g) {
        AdminResult.Builder out = AdminResult.newBuilder().addAllMissingNodes(g.missing());
        int affected = 0;
        for (Map.Entry<String, byte[]> e : g.answers().entrySet()) {
            out.addNodesAnswered(e.getKey());
            affected += parse(AdminResult.parser(), e.getValue()).getAffected();
        }
        return ServerFrame.newBuilder().setAdminResult(out.setAffected(affected));
    }

    private static long timeout(int askedMs) {
        if (askedMs > MAX_TIMEOUT_MS) {
            throw ProtocolException.invalid("timeout_ms", "at most " + MAX_TIMEOUT_MS);
        }
        return askedMs == 0 ? DEFAULT_TIMEOUT_MS : askedMs;
    }

    /** A room an operator names: its string form, with an id of 1-64 of A-Z a-z 0-9 _ . - (empty if not). */
    private static java.util.Optional<RoomId> room(String name) {
        return RoomId.parse(name).filter(id -> id.id().matches("[A-Za-z0-9_.-]{1,64}"));
    }

    /** This node's sessions (in the room, when one is given), at most {@link #MAX_SESSIONS_PER_NODE}. */
    SessionList localSessions(ListSessions q) {
        Collection<ClientSession> which = q.getRoom().isEmpty()
                ? registry.all()
                : room(q.getRoom()).map(rooms::members).orElse(java.util.Set.of());
        SessionList.Builder out = SessionList.newBuilder();
        for (ClientSession s : which) {
            if (out.getSessionsCount() >= MAX_SESSIONS_PER_NODE) {
                break;
            }
            out.addSessions(SessionInfo.newBuilder()
                    .setSessionId(s.id())
                    .setUserId(s.userId())
                    .setUserName(s.principal().name())
                    .setNodeId(nodeId)
                    .setNamespace(s.namespace().path())
                    .setRemoteAddress(s.remoteAddress())
                    .setConnectedAtMs(s.connectedAtMs())
                    .addAllRooms(rooms.roomsOf(s).stream().map(RoomId::name).toList()));
        }
        return out.build();
    }

    private int kickHere(KickUser k) {
        List<ClientSession> sessions = registry.sessionsOf(k.getUserId());
        for (ClientSession s : sessions) {
            s.send(ServerFrame.newBuilder()
                    .setGoodbye(io.tickroom.protocol.v1.Goodbye.newBuilder()
                            .setReason(k.getReason().isEmpty() ? CloseCodes.KICKED_BY_OPERATOR : k.getReason()))
                    .build());
            s.closeAt(CloseCodes.KICKED, CloseCodes.KICKED_BY_OPERATOR, time.nanoTime());
        }
        return sessions.size();
    }

    private int announceHere(Announce a) {
        List<ClientSession> players = new ArrayList<>();
        for (ClientSession s : registry.all()) {
            if (s.namespace() == Namespace.PLAY) {
                players.add(s);
            }
        }
        Rooms.Emit emit = rooms.toAll(players);
        // a name that is no room excepts nobody
        RoomId.parse(a.getExceptRoom()).ifPresent(emit::except);
        return emit.emit(ServerFrame.newBuilder()
                .setAnnouncement(Announcement.newBuilder().setText(a.getText()).setSentAtMs(time.epochMillis()))
                .build());
    }

    private static byte[] result(int affected) {
        return AdminResult.newBuilder().setAffected(affected).build().toByteArray();
    }

    private static <T> T parse(com.google.protobuf.Parser<T> parser, byte[] bytes) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("malformed cluster call", e);
        }
    }
}
