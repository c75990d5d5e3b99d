package io.tickroom.server.admin;

import io.tickroom.protocol.v1.Announce;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CloseLobby;
import io.tickroom.protocol.v1.DrainNode;
import io.tickroom.protocol.v1.KickUser;
import io.tickroom.protocol.v1.ListSessions;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.auth.Tokens;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/**
 * The operator CLI on the server jar: {@code java -jar tickroom-server.jar admin [--url U] [--token T]
 * [--json] COMMAND}. Each command opens one {@code /ws/admin} connection to the node at the URL,
 * asks one request, prints the answer (a table, or JSON with {@code --json}) and closes. Without a
 * token it mints a short-lived admin token from {@code TICKROOM_JWT_SECRET}. Exit status: 0 for a
 * result, {@value #ERROR_ANSWER} for an error answer, {@value #USAGE} for bad usage or no way to
 * authenticate, {@value #NO_CONNECTION} when the node cannot be reached, refuses the handshake or
 * does not answer in time. Runs on the caller's thread; the environment and the streams are
 * injected so tests can drive it in-process.
 */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Operator requests to a running cluster over /ws/admin.",
        footer = {
            "",
            "Exit status: 0 done, 1 the node answered with an error, 2 bad usage or no token,",
            "3 cannot connect, handshake refused or no answer in time."
        })
public final class AdminCli implements Callable<Integer> {
    static final int ERROR_ANSWER = 1;
    static final int USAGE = 2;
    static final int NO_CONNECTION = 3;
    static final String DEFAULT_URL = "ws://127.0.0.1:8080";
    static final Duration MINTED_TOKEN_TTL = Duration.ofMinutes(5);

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            paramLabel = "URL",
            description =
                    "Any node: ws://host:port or wss://... (/ws/admin is added when no path is given); env TICKROOM_ADMIN_URL; default "
                            + DEFAULT_URL + ".")
    String url;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "JWT",
            description =
                    "A token with role admin; env TICKROOM_ADMIN_TOKEN; default: one minted from TICKROOM_JWT_SECRET.")
    String token;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the answer as one JSON object.")
    boolean json;

    @Option(
            names = "--timeout-ms",
            scope = ScopeType.INHERIT,
            paramLabel = "MS",
            defaultValue = "5000",
            description = "How long to wait for the connection and for the answer (${DEFAULT-VALUE}).")
    long timeoutMs;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    /** The command as the jar runs it: the process environment and standard streams. */
    public AdminCli() {
        this(System.getenv(), System.out, System.err);
    }

    public AdminCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = Map.copyOf(env);
        this.out = out;
        this.err = err;
    }

    /** Parses {@code args} and runs the command; returns the exit status. For tests and embedding. */
    public static int run(Map<String, String> env, PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new AdminCli(env, out, err));
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        err.println("admin: name a command: sessions, kick, announce, close-lobby, drain, nodes (see --help)");
        return USAGE;
    }

    @Command(
            name = "sessions",
            mixinStandardHelpOptions = true,
            description = "Sessions on every live node, or only those in a room.")
    int sessions(
            @Option(names = "--room", paramLabel = "ROOM", description = "lobby:{id}, user:{id} or match:{id}.")
                    String room) {
        return ask(
                ClientFrame.newBuilder()
                        .setListSessions(ListSessions.newBuilder().setRoom(room == null ? "" : room)),
                (f, c) -> print(
                        json
                                ? AdminOutput.sessionsJson(f.getSessionList())
                                : AdminOutput.sessionsTable(f.getSessionList())));
    }

    @Command(
            name = "kick",
            mixinStandardHelpOptions = true,
            description = "Close every session of a user on every node (close 4003).")
    int kick(
            @Parameters(paramLabel = "USER", description = "The user id.") String user,
            @Option(names = "--reason", paramLabel = "TEXT", description = "Sent in the goodbye.") String reason) {
        KickUser.Builder k = KickUser.newBuilder().setUserId(user).setReason(reason == null ? "" : reason);
        return ask(ClientFrame.newBuilder().setKickUser(k), (f, c) -> printResult("sessions closed", f));
    }

    @Command(
            name = "announce",
            mixinStandardHelpOptions = true,
            description = "An announcement to every player session on every node.")
    int announce(
            @Parameters(paramLabel = "TEXT", description = "1..500 characters.") String text,
            @Option(names = "--except", paramLabel = "ROOM", description = "Skip the members of this room.")
                    String except) {
        Announce.Builder a = Announce.newBuilder().setText(text).setExceptRoom(except == null ? "" : except);
        return ask(ClientFrame.newBuilder().setAnnounce(a), (f, c) -> printResult("sessions told", f));
    }

    @Command(
            name = "close-lobby",
            mixinStandardHelpOptions = true,
            description = "Close a lobby; its members get lobby_left CLOSED.")
    int closeLobby(@Parameters(paramLabel = "ID", description = "The lobby id.") String lobbyId) {
        return ask(
                ClientFrame.newBuilder().setCloseLobby(CloseLobby.newBuilder().setLobbyId(lobbyId)),
                (f, c) -> printResult("members removed", f));
    }

    @Command(
            name = "drain",
            mixinStandardHelpOptions = true,
            description =
                    "Drain a node as SIGTERM does: its sessions move to other nodes, its matches finish, it stops.")
    int drain(
            @Parameters(paramLabel = "NODE", arity = "0..1", description = "The node id; default: the node at --url.")
                    String node) {
        return ask(
                ClientFrame.newBuilder().setDrainNode(DrainNode.newBuilder().setNodeId(node == null ? "" : node)),
                (f, c) -> printResult("nodes draining", f));
    }

    @Command(
            name = "nodes",
            mixinStandardHelpOptions = true,
            description = {
                "The live nodes, their sessions, and the /health of the node at --url.",
                "From a session listing: every node the cluster's registry lists as live, whether it answered",
                "in time, its sessions per namespace."
            })
    int nodes() {
        return ask(ClientFrame.newBuilder().setListSessions(ListSessions.getDefaultInstance()), (f, c) -> {
            List<AdminOutput.NodeRow> rows = AdminOutput.nodeRows(f.getSessionList());
            String health = health();
            print(
                    json
                            ? AdminOutput.nodesJson(rows, c.nodeId(), health)
                            : AdminOutput.nodesTable(rows, c.nodeId(), health));
        });
    }

    /** What a command does with a result answer. */
    private interface Answer {
        void print(ServerFrame answer, AdminConnection connection) throws InterruptedException;
    }

    private int ask(ClientFrame.Builder request, Answer onResult) {
        URI uri;
        try {
            uri = adminUri(url != null ? url : env.getOrDefault("TICKROOM_ADMIN_URL", DEFAULT_URL));
        } catch (IllegalArgumentException e) {
            err.println("admin: --url: " + e.getMessage());
            return USAGE;
        }
        String bearer = token != null ? token : env.get("TICKROOM_ADMIN_TOKEN");
        if (bearer == null || bearer.isBlank()) {
            String secret = env.get("TICKROOM_JWT_SECRET");
            if (secret == null || secret.length() < 32) {
                err.println("admin: no token: give --token (or TICKROOM_ADMIN_TOKEN), or set TICKROOM_JWT_SECRET "
                        + "(at least 32 bytes) to mint one");
                return USAGE;
            }
            bearer = Tokens.mint(
                    secret,
                    "admin-cli",
                    "admin CLI",
                    List.of("admin"),
                    Instant.now().plus(MINTED_TOKEN_TTL),
                    null);
        }
        try (AdminConnection c = AdminConnection.open(uri, bearer, Duration.ofMillis(timeoutMs))) {
            ServerFrame answer = c.ask(request);
            if (answer.hasError()) {
                String code = answer.getError().getCode().name();
                if (json) {
                    print(AdminOutput.errorJson(code, answer.getError().getMessage()));
                }
                err.println("admin: " + code + ": " + answer.getError().getMessage());
                return ERROR_ANSWER;
            }
            onResult.print(answer, c);
            return 0;
        } catch (AdminConnection.Failure e) {
            err.println("admin: " + e.getMessage());
            return NO_CONNECTION;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("admin: interrupted");
            return NO_CONNECTION;
        }
    }

    private void printResult(String what, ServerFrame f) {
        print(json ? AdminOutput.resultJson(f.getAdminResult()) : AdminOutput.resultText(what, f.getAdminResult()));
        if (f.getAdminResult().getMissingNodesCount() > 0) {
            err.println("admin: no answer in time from "
                    + String.join(", ", f.getAdminResult().getMissingNodesList())
                    + ": the request may not have reached them");
        }
    }

    private void print(String text) {
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    /** The body of {@code /health} of the node at the URL; null when it does not answer. */
    private String health() throws InterruptedException {
        URI ws = adminUri(url != null ? url : env.getOrDefault("TICKROOM_ADMIN_URL", DEFAULT_URL));
        URI health = URI.create(
                (ws.getScheme().equals("wss") ? "https" : "http") + "://" + ws.getRawAuthority() + "/health");
        try {
            HttpResponse<String> r = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofMillis(timeoutMs))
                    .build()
                    .send(
                            HttpRequest.newBuilder(health)
                                    .timeout(Duration.ofMillis(timeoutMs))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return r.body().strip();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** {@code ws://h:p} → {@code ws://h:p/ws/admin}; http(s) is taken for ws(s); a given path is kept. */
    static URI adminUri(String given) {
        URI u = URI.create(given.strip());
        String scheme = u.getScheme() == null ? "" : u.getScheme();
        scheme = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("'" + given + "' is not a ws:// or wss:// URL");
        };
        if (u.getRawAuthority() == null) {
            throw new IllegalArgumentException("'" + given + "' names no host");
        }
        String path = u.getRawPath() == null
                        || u.getRawPath().isEmpty()
                        || u.getRawPath().equals("/")
                ? "/ws/admin"
                : u.getRawPath();
        return URI.create(
                scheme + "://" + u.getRawAuthority() + path + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery()));
    }
}
