package io.tickroom.client.examples;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.client.ClientConfig;
import io.tickroom.client.ClientRuntime;
import io.tickroom.client.TickroomClient;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.ServerFrame.BodyCase;
import io.tickroom.protocol.v1.SetReady;
import io.tickroom.protocol.v1.StartMatch;
import io.tickroom.protocol.v1.arena.ArenaInput;
import io.tickroom.protocol.v1.arena.ArenaSnapshot;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A minimal Tickroom player on the Java client library: lobby, chat, ready, an arena-duel match, leave.
 * <pre>
 * export CP=bot-client/target/tickroom-bots.jar
 * TICKROOM_TOKEN=$(scripts/token --user alice) java -cp $CP io.tickroom.client.examples.MinimalClient
 * TICKROOM_TOKEN=$(scripts/token --user bob)   java -cp $CP io.tickroom.client.examples.MinimalClient LOBBY
 * </pre>
 * The first creates a lobby and prints its id; the second joins it ({@code TICKROOM_URL}: the
 * node, {@code ws://127.0.0.1:8080/ws/play} by default).
 */
public final class MinimalClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(System.getenv().getOrDefault("TICKROOM_URL", "ws://127.0.0.1:8080/ws/play"));
        String token = System.getenv("TICKROOM_TOKEN");
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("set TICKROOM_TOKEN, e.g. TICKROOM_TOKEN=$(scripts/token --user alice)");
        }
        try (ClientRuntime runtime = new ClientRuntime(); // one per process, shared by its clients
                TickroomClient client =
                        runtime.newClient(ClientConfig.of(url, () -> token))) { // the token goes in a header
            String me = client.connect().get().getUserId();
            System.out.println("welcome " + me);
            client.on(
                    BodyCase.CHAT,
                    f -> System.out.println("chat " + f.getChat().getFromUserId() + ": "
                            + f.getChat().getText()));
            client.on(
                    BodyCase.MATCH_FOUND,
                    f -> System.out.println("match " + f.getMatchFound().getMatchId() + " on "
                            + f.getMatchFound().getEndpoint()));
            List<Float> moved = new CopyOnWriteArrayList<>(); // my x in each snapshot
            CompletableFuture<Void> played = new CompletableFuture<>();
            client.on(BodyCase.MATCH_SNAPSHOT, f -> {
                if (moved.size() == 20) {
                    return;
                }
                moved.add(myX(f, me));
                TickroomClient.MatchLink seat = client.match();
                if (moved.size() <= 3 && seat != null) { // a few inputs: move right (arena keeps the last direction)
                    seat.input(
                            f.getMatchSnapshot().getTick(),
                            ArenaInput.newBuilder().setDx(1).build().toByteString());
                }
                if (moved.size() == 20) {
                    played.complete(null);
                }
            });

            CompletableFuture<ServerFrame> full = next(client, s -> s.getMembersCount() == 2);
            LobbyState lobby = answer(client.request(
                            args.length > 0
                                    ? ClientFrame.newBuilder()
                                            .setJoinLobby(JoinLobby.newBuilder().setLobbyId(args[0]))
                                    : ClientFrame.newBuilder()
                                            .setCreateLobby(CreateLobby.newBuilder()
                                                    .setName(me + "'s duel")
                                                    .setMode("arena-duel")
                                                    .setMaxPlayers(2))))
                    .getLobbyState();
            String lobbyId = lobby.getLobbyId();
            System.out.println("lobby " + lobbyId);
            full.get();
            answer(client.request(ClientFrame.newBuilder()
                    .setSendChat(SendChat.newBuilder().setLobbyId(lobbyId).setText("hello from " + me))));
            CompletableFuture<ServerFrame> allReady =
                    next(client, s -> s.getMembersList().stream().allMatch(LobbyMember::getReady));
            answer(client.request(ClientFrame.newBuilder()
                    .setSetReady(SetReady.newBuilder().setLobbyId(lobbyId).setReady(true))));
            if (lobby.getHostUserId().equals(me)) {
                allReady.get();
                // match_found follows, to both players
                answer(client.request(ClientFrame.newBuilder()
                        .setStartMatch(StartMatch.newBuilder().setLobbyId(lobbyId))));
            }
            // the client claims the seat itself, over a second connection when the match runs on another node
            played.get();
            System.out.printf(Locale.ROOT, "snapshots %d, x %.1f -> %.1f%n", moved.size(), moved.get(0), moved.get(19));
            answer(client.match().leave());
            System.out.println("left");
        }
    }

    /** Waits for a request's one answer; an error answer throws, naming its code. */
    static ServerFrame answer(CompletableFuture<ServerFrame> request) throws Exception {
        ServerFrame f = request.get(); // the library fails it after its request timeout (10 s)
        if (f.hasError()) {
            throw new IllegalStateException(
                    f.getError().getCode() + ": " + f.getError().getMessage());
        }
        return f;
    }

    /** Completes with the first lobby_state push that satisfies {@code pred}. */
    static CompletableFuture<ServerFrame> next(TickroomClient client, Predicate<LobbyState> pred) {
        CompletableFuture<ServerFrame> next = new CompletableFuture<>();
        client.on(BodyCase.LOBBY_STATE, f -> {
            if (pred.test(f.getLobbyState())) {
                next.complete(f);
            }
        });
        return next;
    }

    static float myX(ServerFrame snapshot, String me) {
        try {
            return ArenaSnapshot.parseFrom(snapshot.getMatchSnapshot().getPayload()).getPlayersList().stream()
                    .filter(p -> p.getUserId().equals(me))
                    .findFirst()
                    .orElseThrow()
                    .getX();
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("not an arena snapshot", e);
        }
    }
}
