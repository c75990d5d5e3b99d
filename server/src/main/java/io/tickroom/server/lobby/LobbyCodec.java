package io.tickroom.server.lobby;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.LobbySummary;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.session.ProtocolException;

/** Maps directory values to wire messages and directory refusals to wire errors. */
final class LobbyCodec {
    private LobbyCodec() {}

    /** The full state; only ever sent to members, so it carries the join code. */
    static LobbyState state(Lobby l) {
        LobbyState.Builder b = LobbyState.newBuilder()
                .setLobbyId(l.id())
                .setName(l.name())
                .setMode(l.mode())
                .setMaxPlayers(l.maxPlayers())
                .setHostUserId(l.hostUserId())
                .setPrivate(l.isPrivate())
                .setJoinCode(l.joinCode())
                .setVersion(l.version())
                .setCreatedAtMs(l.createdAtMs())
                .putAllAttributes(l.attributes());
        for (Member m : l.members()) {
            b.addMembers(LobbyMember.newBuilder()
                    .setUserId(m.userId())
                    .setName(m.name())
                    .setReady(m.ready()));
        }
        return b.build();
    }

    /** Back from the wire (a node learns of a lobby joined on another node from its state). */
    static Lobby lobby(LobbyState s) {
        java.util.List<Member> members = new java.util.ArrayList<>();
        for (LobbyMember m : s.getMembersList()) {
            members.add(new Member(m.getUserId(), m.getName(), m.getReady()));
        }
        return new Lobby(
                s.getLobbyId(),
                s.getName(),
                s.getMode(),
                s.getMaxPlayers(),
                s.getPrivate(),
                s.getJoinCode(),
                s.getHostUserId(),
                members,
                s.getCreatedAtMs(),
                s.getVersion(),
                s.getAttributesMap());
    }

    static LobbySummary summary(Lobby l) {
        return LobbySummary.newBuilder()
                .setLobbyId(l.id())
                .setName(l.name())
                .setMode(l.mode())
                .setMaxPlayers(l.maxPlayers())
                .setPlayers(l.members().size())
                .setHostUserId(l.hostUserId())
                .setCreatedAtMs(l.createdAtMs())
                .putAllAttributes(l.attributes())
                .build();
    }

    static ProtocolException error(LobbyException e) {
        ErrorCode code = switch (e.reason()) {
            case NOT_FOUND, NOT_MEMBER -> ErrorCode.NOT_FOUND;
            case FULL -> ErrorCode.FULL;
            case ALREADY_IN -> ErrorCode.ALREADY_IN;
            case FORBIDDEN -> ErrorCode.FORBIDDEN;
            case LIMIT_REACHED, UNAVAILABLE -> ErrorCode.UNAVAILABLE;
            case NOT_READY -> ErrorCode.NOT_READY;
            case INVALID -> ErrorCode.INVALID_ARGUMENT;
        };
        return new ProtocolException(code, e.getMessage());
    }
}
