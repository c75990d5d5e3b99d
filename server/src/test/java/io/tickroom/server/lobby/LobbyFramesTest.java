package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ChatMessage;
import io.tickroom.protocol.v1.LobbyDelta;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;

/** Which lobby-stream deliveries the node parses to remember the lobby: states and deltas only. */
class LobbyFramesTest {
    @Test
    void statesAndDeltasAreToldApartFromChatByTheirTagsAlone() {
        byte[] state = ServerFrame.newBuilder()
                .setReplyTo(9)
                .setLobbyState(LobbyState.newBuilder().setLobbyId("l1").setVersion(3))
                .build()
                .toByteArray();
        byte[] delta = ServerFrame.newBuilder()
                .setLobbyDelta(LobbyDelta.newBuilder().setLobbyId("l1").setVersion(4))
                .build()
                .toByteArray();
        byte[] chat = ServerFrame.newBuilder()
                .setReplyTo(9)
                .setChat(ChatMessage.newBuilder().setLobbyId("l1").setText("hi"))
                .build()
                .toByteArray();
        assertTrue(LobbyService.carriesLobby(state));
        assertTrue(LobbyService.carriesLobby(delta));
        assertFalse(LobbyService.carriesLobby(chat));
        assertFalse(LobbyService.carriesLobby(new byte[0]));
        assertFalse(LobbyService.carriesLobby(new byte[] {(byte) 0xff, (byte) 0xff}), "not a frame");
    }
}
