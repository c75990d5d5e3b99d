package io.tickroom.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import io.tickroom.server.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.Yaml;

/** The admin CLI driven in-process, as an operator types it, against a real node. */
@Timeout(60)
class AdminCliIT extends OneNodeIT {

    /** One run of the CLI: its exit status and what it printed. */
    record Run(int status, String out, String err) {
        /** The JSON object printed on stdout. */
        Map<String, Object> json() {
            return new Yaml().load(out);
        }
    }

    static Run cli(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AdminCli.run(
                env,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The CLI pointed at this test's node with an operator token. */
    Run admin(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--url", "ws://127.0.0.1:" + node.port(), "--token", TestNode.token("operator", List.of("admin"))));
        all.addAll(List.of(args));
        return cli(Map.of(), all.toArray(String[]::new));
    }

    @Test
    void sessionsPrintsATableOfEverySessionAndOnlyTheRoomsMembersWithRoom() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        connect("carol");
        String id =
                alice.request(Req.create("listed", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());

        Run all = admin("sessions");
        assertEquals(0, all.status(), all.err());
        List<String> lines = all.out().lines().toList();
        assertTrue(
                lines.get(0).matches("NODE +USER +NAME +NAMESPACE +ADDRESS +CONNECTED +SESSION +ROOMS"), lines.get(0));
        for (String user : List.of("alice", "bob", "carol", "operator")) {
            assertTrue(
                    lines.stream().anyMatch(l -> l.startsWith("test-node") && l.contains(" " + user + " ")), all.out());
        }
        assertTrue(lines.stream().anyMatch(l -> l.contains(alice.sessionId()) && l.contains("lobby:" + id)), all.out());
        assertEquals("4 sessions; nodes answered: test-node; no answer from: none", lines.get(lines.size() - 1));

        Run inLobby = admin("sessions", "--room", "lobby:" + id);
        assertEquals(0, inLobby.status(), inLobby.err());
        assertEquals(4, inLobby.out().lines().count(), "header, alice, bob and the summary: " + inLobby.out());
        assertTrue(inLobby.out().contains(" alice ")
                && inLobby.out().contains(" bob ")
                && !inLobby.out().contains(" carol "));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonPrintsOneObjectWithTheProtocolsFieldNames() throws Exception {
        TestClient alice = connect("alice");
        Run run = admin("--json", "sessions");
        assertEquals(0, run.status(), run.err());
        assertEquals(1, run.out().lines().count(), "one line: " + run.out());
        Map<String, Object> json = run.json();
        assertEquals(List.of("test-node"), json.get("nodes_answered"));
        assertEquals(List.of(), json.get("missing_nodes"));
        List<Map<String, Object>> sessions = (List<Map<String, Object>>) json.get("sessions");
        Map<String, Object> a = sessions.stream()
                .filter(s -> s.get("user_id").equals("alice"))
                .findFirst()
                .orElseThrow();
        assertEquals(alice.sessionId(), a.get("session_id"));
        assertEquals("Name of alice", a.get("user_name"));
        assertEquals("/ws/play", a.get("namespace"));
        assertEquals(List.of("user:alice"), a.get("rooms"));
        assertTrue(((Number) a.get("connected_at_ms")).longValue() > 0);

        Run kick = admin("kick", "nobody", "--json"); // the option after the command works too
        assertEquals(0, kick.status(), kick.err());
        assertEquals(
                Map.of("affected", 0, "nodes_answered", List.of("test-node"), "missing_nodes", List.of()), kick.json());
    }

    @Test
    void kickClosesEverySessionOfTheUserWith4003AndTheReason() throws Exception {
        TestClient mallory = connect("mallory");
        TestClient bystander = connect("bob");
        Run run = admin("kick", "mallory", "--reason", "cheating");
        assertEquals(0, run.status(), run.err());
        assertEquals("sessions closed: 1; nodes answered: test-node; no answer from: none\n", run.out());
        assertEquals(
                "cheating",
                mallory.awaitPush(ServerFrame::hasGoodbye).getGoodbye().getReason());
        assertEquals(CloseCodes.KICKED, mallory.awaitClose().code());
        assertTrue(bystander.request(Req.ping()).hasPong(), "others carry on");
    }

    @Test
    void announceReachesPlayersExceptTheExcludedRoom() throws Exception {
        TestClient alice = connect("alice");
        TestClient carol = connect("carol");
        String id = alice.request(Req.create("busy", 4, false)).getLobbyState().getLobbyId();
        Run run = admin("announce", "maintenance at noon", "--except", "lobby:" + id);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("sessions told: 1;"), run.out());
        assertEquals(
                "maintenance at noon",
                carol.awaitPush(ServerFrame::hasAnnouncement).getAnnouncement().getText());
        assertTrue(alice.request(Req.ping()).hasPong());
        assertEquals(
                List.of(),
                alice.drainPushes().stream()
                        .filter(ServerFrame::hasAnnouncement)
                        .toList());
    }

    @Test
    void closeLobbyRemovesItsMembers() throws Exception {
        TestClient alice = connect("alice");
        TestClient bob = connect("bob");
        String id =
                alice.request(Req.create("to close", 4, false)).getLobbyState().getLobbyId();
        assertTrue(bob.request(Req.join(id)).hasLobbyState());
        Run run = admin("close-lobby", id);
        assertEquals(0, run.status(), run.err());
        assertTrue(run.out().startsWith("members removed: 2;"), run.out());
        for (TestClient t : List.of(alice, bob)) {
            assertEquals(
                    LeftReason.CLOSED,
                    t.awaitPush(ServerFrame::hasLobbyLeft).getLobbyLeft().getReason());
        }
    }

    @Test
    void anErrorAnswerExitsNonZeroAndSaysTheCode() {
        Run missing = admin("close-lobby", "no-such-lobby");
        assertEquals(AdminCli.ERROR_ANSWER, missing.status());
        assertTrue(missing.err().startsWith("admin: NOT_FOUND: "), missing.err());
        assertEquals("", missing.out());

        Run json = admin("--json", "drain", "no-such-node");
        assertEquals(AdminCli.ERROR_ANSWER, json.status());
        assertEquals(Map.of("error", Map.of("code", "NOT_FOUND", "message", "no live node no-such-node")), json.json());

        Run badRoom = admin("sessions", "--room", "nonsense");
        assertEquals(AdminCli.ERROR_ANSWER, badRoom.status());
        assertTrue(badRoom.err().contains("INVALID_ARGUMENT"), badRoom.err());
    }

    @Test
    void withoutATokenItMintsOneFromTheEnvironmentsSecret() {
        String url = "ws://127.0.0.1:" + node.port();
        Run minted = cli(Map.of("TICKROOM_JWT_SECRET", TestNode.SECRET), "--url", url, "sessions");
        assertEquals(0, minted.status(), minted.err());
        assertTrue(minted.out().contains(" admin-cli "), "the minted token's user lists itself: " + minted.out());

        Run fromEnv = cli(
                Map.of("TICKROOM_ADMIN_URL", url, "TICKROOM_ADMIN_TOKEN", TestNode.token("ops", List.of("admin"))),
                "sessions");
        assertEquals(0, fromEnv.status(), fromEnv.err());
        assertTrue(fromEnv.out().contains(" ops "), fromEnv.out());

        Run none = cli(Map.of(), "--url", url, "sessions");
        assertEquals(AdminCli.USAGE, none.status());
        assertTrue(none.err().contains("TICKROOM_JWT_SECRET"), none.err());

        Run wrongSecret = cli(
                Map.of("TICKROOM_JWT_SECRET", "another-secret-another-secret-0123456789"), "--url", url, "sessions");
        assertEquals(AdminCli.NO_CONNECTION, wrongSecret.status());
        assertTrue(wrongSecret.err().contains("HTTP 401"), wrongSecret.err());

        Run player = cli(Map.of(), "--url", url, "--token", TestNode.token("alice"), "sessions");
        assertEquals(AdminCli.NO_CONNECTION, player.status());
        assertTrue(player.err().contains("HTTP 403"), player.err());
    }

    @Test
    void nodesListsTheNodeItsSessionsAndItsHealth() throws Exception {
        connect("alice");
        Run table = admin("nodes");
        assertEquals(0, table.status(), table.err());
        List<String> lines = table.out().lines().toList();
        assertTrue(lines.get(1).matches("test-node \\* +yes +1 +1"), table.out());
        assertTrue(
                lines.get(2)
                        .startsWith(
                                "1 live node; * = connected to, its /health: {\"node\":\"test-node\",\"status\":\"serving\""),
                table.out());

        Map<String, Object> json = admin("--json", "nodes").json();
        assertEquals(
                List.of(Map.of("node_id", "test-node", "answered", true, "play_sessions", 1, "admin_sessions", 1)),
                json.get("nodes"));
        assertEquals("test-node", json.get("connected_node"));
        assertEquals("serving", ((Map<?, ?>) json.get("health")).get("status"));
    }

    @Test
    void anUnreachableNodeOrBadUsageExitsWithTheirOwnStatus() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run refused = cli(Map.of("TICKROOM_JWT_SECRET", TestNode.SECRET), "--url", "ws://127.0.0.1:" + port, "nodes");
        assertEquals(AdminCli.NO_CONNECTION, refused.status());
        assertTrue(refused.err().contains("connection refused"), refused.err());
        assertEquals(AdminCli.USAGE, admin("kick").status(), "USER is required");
        assertEquals(AdminCli.USAGE, admin().status(), "no command");
        assertEquals(AdminCli.USAGE, cli(Map.of(), "--url", "ftp://x", "nodes").status());
    }

    @Test
    void theUrlMayNameTheAdminPathOrOnlyTheNode() {
        assertEquals("ws://h:1/ws/admin", AdminCli.adminUri("ws://h:1").toString());
        assertEquals("ws://h:1/ws/admin", AdminCli.adminUri("http://h:1/").toString());
        assertEquals("wss://h:1/ws/admin", AdminCli.adminUri("https://h:1").toString());
        assertEquals("ws://h:1/ws/admin", AdminCli.adminUri("ws://h:1/ws/admin").toString());
    }
}
