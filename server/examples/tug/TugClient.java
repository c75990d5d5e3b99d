import com.google.protobuf.ByteString;
import io.tickroom.bots.BotTokens;
import io.tickroom.client.ClientConfig;
import io.tickroom.client.ClientRuntime;
import io.tickroom.client.TickroomClient;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.SetReady;
import io.tickroom.protocol.v1.StartMatch;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Two players, alice and bob, play one match of tug: alice opens a lobby with attributes, bob
 * finds it by a filter, both ready up, alice starts; then alice pulls twice as often as bob.
 *   java -cp bot-client/target/tickroom-bots.jar server/examples/tug/TugClient.java [ws://127.0.0.1:8080/ws/play]
 */
public class TugClient {
    public static void main(String[] args) throws Exception {
        URI url = URI.create(args.length > 0 ? args[0] : "ws://127.0.0.1:8080/ws/play");
        BotTokens tokens = new BotTokens(System.getenv().getOrDefault("TICKROOM_JWT_SECRET",
                "tickroom-dev-secret-change-me-0123456789")); // scripts/run-server's development secret
        ScheduledExecutorService pulls = Executors.newScheduledThreadPool(2);
        CountDownLatch over = new CountDownLatch(2);
        try (ClientRuntime runtime = new ClientRuntime()) {
            TickroomClient alice = player(runtime, url, tokens, "alice", 100, pulls, over);
            TickroomClient bob = player(runtime, url, tokens, "bob", 200, pulls, over);
            System.out.println("modes served: " + alice.welcome().getModesList());

            String lobby = alice.request(ClientFrame.newBuilder().setCreateLobby(CreateLobby.newBuilder()
                    .setName("tug night").setMode("tug").putAttributes("rope", "5").putAttributes("region", "eu")))
                    .get().getLobbyState().getLobbyId();
            var found = bob.request(ClientFrame.newBuilder().setListLobbies(ListLobbies.newBuilder()
                    .setMode("tug").putFilter("region", "eu"))).get().getLobbyList();
            System.out.println("bob found: " + found.getLobbies(0).getName() + " " + found.getLobbies(0).getAttributesMap());
            bob.request(ClientFrame.newBuilder().setJoinLobby(JoinLobby.newBuilder().setLobbyId(found.getLobbies(0).getLobbyId()))).get();
            for (TickroomClient c : List.of(alice, bob)) {
                c.request(ClientFrame.newBuilder().setSetReady(SetReady.newBuilder().setLobbyId(lobby).setReady(true))).get();
            }
            System.out.println("start: " + alice.request(ClientFrame.newBuilder().setStartMatch(
                    StartMatch.newBuilder().setLobbyId(lobby))).get().getBodyCase());
            if (!over.await(60, TimeUnit.SECONDS)) {
                System.out.println("the match did not end within 60 s");
            }
        } finally {
            pulls.shutdownNow();
        }
    }

    /** Connects a player who claims its seat on match_found, then pulls every {@code everyMs}. */
    static TickroomClient player(ClientRuntime runtime, URI url, BotTokens tokens, String user, long everyMs,
            ScheduledExecutorService pulls, CountDownLatch over) throws Exception {
        TickroomClient c = runtime.newClient(ClientConfig.of(url, () -> tokens.mint(user, 1500, 3_600_000)));
        c.on(ServerFrame.BodyCase.MATCH_SNAPSHOT, f -> System.out.println(user + " sees " + f.getMatchSnapshot().getPayload().toStringUtf8()));
        c.on(ServerFrame.BodyCase.MATCH_ENDED, f -> {
            System.out.println(user + ": match over, " + f.getMatchEnded().getReason() + ": " + f.getMatchEnded().getResultsList()
                    .stream().map(r -> r.getUserId() + " rank " + r.getRank() + " (" + r.getScore() + " pulls)").toList());
            over.countDown();
        });
        c.onMatchJoined(link -> pulls.scheduleAtFixedRate(() -> link.input(0, ByteString.EMPTY), 0, everyMs, TimeUnit.MILLISECONDS));
        c.connect().get(10, TimeUnit.SECONDS);
        return c;
    }
}
