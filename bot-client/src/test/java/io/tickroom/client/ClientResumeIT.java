package io.tickroom.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.TickroomNode;
import io.tickroom.server.auth.Tokens;
import io.tickroom.server.config.NetConfig;
import io.tickroom.server.config.ServerConfig;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client library resumes by itself against a real node: nothing missed, nothing twice. */
@Timeout(60)
class ClientResumeIT {
    static final String SECRET = "client-resume-secret-client-resume-01234";
    TickroomNode node;
    ClientRuntime runtime;

    @BeforeEach
    void start() throws Exception {
        node = TickroomNode.start(ServerConfig.defaults("resume-it", SECRET)
                .withNet(new NetConfig(
                        "127.0.0.1", 0, "", List.of(), 64 * 1024, 30_000, 10_000, 1024, 8, 10_000, 2_000, false)));
        runtime = new ClientRuntime(1);
    }

    @AfterEach
    void stop() throws Exception {
        runtime.close();
        node.stop();
    }

    TickroomClient client(String user) throws Exception {
        String token = Tokens.mint(SECRET, user, user, List.of(), Instant.now().plus(Duration.ofHours(1)), null);
        TickroomClient c = runtime.newClient(
                ClientConfig.of(URI.create(node.playUrl()), () -> token).withBackoff(new Backoff(50, 200, 20)));
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    static ClientFrame.Builder chat(String lobby, String text) {
        return ClientFrame.newBuilder()
                .setSendChat(SendChat.newBuilder().setLobbyId(lobby).setText(text));
    }

    @Test
    void aDroppedClientResumesByItselfAndSeesEveryChatLineOnceInOrder() throws Exception {
        TickroomClient alice = client("alice");
        TickroomClient bob = client("bob");
        List<String> aliceSaw = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> sawBack = new CompletableFuture<>();
        alice.on(ServerFrame.BodyCase.CHAT, f -> {
            aliceSaw.add(f.getChat().getText());
            if (f.getChat().getText().equals("back")) {
                sawBack.complete(null);
            }
        });
        CompletableFuture<Void> away = new CompletableFuture<>();
        CompletableFuture<Integer> resumed = new CompletableFuture<>();
        alice.onConnection(new ConnectionListener() {
            @Override
            public void disconnected(int code, String reason) {
                away.complete(null);
            }

            @Override
            public void resumed(String sessionId, int replayed) {
                resumed.complete(replayed);
            }
        });
        String lobby = alice.request(ClientFrame.newBuilder()
                        .setCreateLobby(CreateLobby.newBuilder()
                                .setName("resume")
                                .setMode("arena")
                                .setMaxPlayers(4)))
                .get(10, TimeUnit.SECONDS)
                .getLobbyState()
                .getLobbyId();
        assertTrue(bob.request(ClientFrame.newBuilder()
                        .setJoinLobby(JoinLobby.newBuilder().setLobbyId(lobby)))
                .get(10, TimeUnit.SECONDS)
                .hasLobbyState());
        assertTrue(bob.request(chat(lobby, "before")).get(10, TimeUnit.SECONDS).hasOk());

        alice.dropConnection();
        away.get(10, TimeUnit.SECONDS);
        for (String line : List.of("while away 1", "while away 2", "while away 3")) {
            assertTrue(bob.request(chat(lobby, line)).get(10, TimeUnit.SECONDS).hasOk());
        }
        int replayed = resumed.get(10, TimeUnit.SECONDS);
        assertTrue(replayed >= 1, "replayed " + replayed);
        assertTrue(alice.request(chat(lobby, "back")).get(10, TimeUnit.SECONDS).hasOk(), "still a member");
        sawBack.get(10, TimeUnit.SECONDS);
        assertEquals(List.of("before", "while away 1", "while away 2", "while away 3", "back"), aliceSaw);
        alice.close();
        bob.close();
    }
}
