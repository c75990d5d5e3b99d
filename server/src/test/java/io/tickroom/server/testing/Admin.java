package io.tickroom.server.testing;

import io.tickroom.protocol.v1.Announce;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CloseLobby;
import io.tickroom.protocol.v1.DrainNode;
import io.tickroom.protocol.v1.KickUser;
import io.tickroom.protocol.v1.ListSessions;
import java.util.List;

/** Operator requests for tests. */
public final class Admin {
    private Admin() {}

    /** Connects an operator (role admin) to the node's admin namespace. */
    public static TestClient connect(TestNode node) throws Exception {
        return TestClient.connect(node.adminUri(), TestNode.token("operator", List.of("admin")));
    }

    public static ClientFrame.Builder listSessions(String room, int timeoutMs) {
        return ClientFrame.newBuilder()
                .setListSessions(ListSessions.newBuilder().setRoom(room).setTimeoutMs(timeoutMs));
    }

    public static ClientFrame.Builder kick(String userId) {
        return ClientFrame.newBuilder().setKickUser(KickUser.newBuilder().setUserId(userId));
    }

    public static ClientFrame.Builder announce(String text, String exceptRoom) {
        return ClientFrame.newBuilder()
                .setAnnounce(Announce.newBuilder().setText(text).setExceptRoom(exceptRoom));
    }

    public static ClientFrame.Builder closeLobby(String lobbyId) {
        return ClientFrame.newBuilder().setCloseLobby(CloseLobby.newBuilder().setLobbyId(lobbyId));
    }

    public static ClientFrame.Builder drain(String nodeId) {
        return ClientFrame.newBuilder().setDrainNode(DrainNode.newBuilder().setNodeId(nodeId));
    }
}
