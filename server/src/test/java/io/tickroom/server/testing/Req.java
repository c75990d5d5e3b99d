package io.tickroom.server.testing;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.KickMember;
import io.tickroom.protocol.v1.LeaveLobby;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.Ping;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.SendDirectMessage;
import io.tickroom.protocol.v1.SetReady;

/** Request frames, short. */
public final class Req {
    private Req() {}

    public static ClientFrame.Builder ping() {
        return ClientFrame.newBuilder().setPing(Ping.newBuilder().setClientTimeMs(System.currentTimeMillis()));
    }

    public static ClientFrame.Builder create(String name, int maxPlayers, boolean isPrivate) {
        return ClientFrame.newBuilder()
                .setCreateLobby(CreateLobby.newBuilder()
                        .setName(name)
                        .setMode("arena")
                        .setMaxPlayers(maxPlayers)
                        .setPrivate(isPrivate));
    }

    public static ClientFrame.Builder list(String mode) {
        return ClientFrame.newBuilder().setListLobbies(ListLobbies.newBuilder().setMode(mode));
    }

    public static ClientFrame.Builder list(String mode, int pageSize, String pageToken, LobbyOrder order) {
        return ClientFrame.newBuilder()
                .setListLobbies(ListLobbies.newBuilder()
                        .setMode(mode)
                        .setPageSize(pageSize)
                        .setPageToken(pageToken)
                        .setOrder(order));
    }

    /** A public lobby of {@code mode} with attributes, sized by the mode (no max_players). */
    public static ClientFrame.Builder create(String name, String mode, java.util.Map<String, String> attributes) {
        return ClientFrame.newBuilder()
                .setCreateLobby(
                        CreateLobby.newBuilder().setName(name).setMode(mode).putAllAttributes(attributes));
    }

    /** The public lobbies of {@code mode} whose attributes hold every pair of {@code filter}. */
    public static ClientFrame.Builder list(String mode, java.util.Map<String, String> filter) {
        return ClientFrame.newBuilder()
                .setListLobbies(ListLobbies.newBuilder().setMode(mode).putAllFilter(filter));
    }

    public static ClientFrame.Builder update(
            String lobbyId, java.util.Map<String, String> set, java.util.List<String> remove) {
        return ClientFrame.newBuilder()
                .setUpdateLobby(io.tickroom.protocol.v1.UpdateLobby.newBuilder()
                        .setLobbyId(lobbyId)
                        .putAllSetAttributes(set)
                        .addAllRemoveAttributes(remove));
    }

    public static ClientFrame.Builder listModes() {
        return ClientFrame.newBuilder().setListModes(io.tickroom.protocol.v1.ListModes.getDefaultInstance());
    }

    public static ClientFrame.Builder join(String lobbyId) {
        return ClientFrame.newBuilder().setJoinLobby(JoinLobby.newBuilder().setLobbyId(lobbyId));
    }

    public static ClientFrame.Builder joinByCode(String code) {
        return ClientFrame.newBuilder().setJoinLobby(JoinLobby.newBuilder().setJoinCode(code));
    }

    public static ClientFrame.Builder leave(String lobbyId) {
        return ClientFrame.newBuilder().setLeaveLobby(LeaveLobby.newBuilder().setLobbyId(lobbyId));
    }

    public static ClientFrame.Builder chat(String lobbyId, String text) {
        return ClientFrame.newBuilder()
                .setSendChat(SendChat.newBuilder().setLobbyId(lobbyId).setText(text));
    }

    public static ClientFrame.Builder ready(String lobbyId, boolean ready) {
        return ClientFrame.newBuilder()
                .setSetReady(SetReady.newBuilder().setLobbyId(lobbyId).setReady(ready));
    }

    public static ClientFrame.Builder kick(String lobbyId, String userId) {
        return ClientFrame.newBuilder()
                .setKickMember(KickMember.newBuilder().setLobbyId(lobbyId).setUserId(userId));
    }

    public static ClientFrame.Builder dm(String toUserId, String text) {
        return ClientFrame.newBuilder()
                .setDirectMessage(
                        SendDirectMessage.newBuilder().setToUserId(toUserId).setText(text));
    }

    /** Resume with the token from a previous welcome and the seqs the client saw. */
    public static ClientFrame.Builder resume(String token, java.util.Map<String, Long> lastSeqs) {
        return ClientFrame.newBuilder()
                .setResume(io.tickroom.protocol.v1.Resume.newBuilder()
                        .setResumeToken(token)
                        .putAllLastSeqs(lastSeqs));
    }
}
