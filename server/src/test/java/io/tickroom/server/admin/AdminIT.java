package io.tickroom.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.SessionInfo;
import io.tickroom.server.session.CloseCodes;
import io.tickroom.server.testing.Admin;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operator namespace on one node: list, kick, announce, close a lobby. */
@Timeout(60)
class AdminIT extends OneNodeIT {
    TestClient admin;

    @BeforeEach
    void connectOperator() throws Exception {
        admin = players.add(Admin.connect(node));
    }

    @Test
    void listsEverySessionOrOnlyThoseInARoom() throws Exception {
        TestClient a = players.connect(node, "alice");
        TestClient b = players.connect(node, "bob");
        players.connect(node, "carol");
        String id = a.request(Req.create("listed", 4, false)).getLobbyState().getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());

        var all = admin.request(Admin.listSessions("", 0)).getSessionList();
        assertEquals(List.of("test-node"), all.getNodesAnsweredList());
        assertEquals(List.of(), all.getMissingNodesList());
        assertEquals(
                List.of("alice", "bob", "carol", "operator"),
                all.getSessionsList().stream()
                        .map(SessionInfo::getUserId)
                        .sorted()
                        .toList());
        SessionInfo alice = all.getSessionsList().stream()
                .filter(s -> s.getUserId().equals("alice"))
                .findFirst()
                .orElseThrow();
        assertEquals(a.sessionId(), alice.getSessionId());
        assertTrue(alice.getRoomsList().contains("lobby:" + id), alice::toString);
        assertTrue(alice.getConnectedAtMs() > 0);

        var inLobby = admin.request(Admin.listSessions("lobby:" + id, 0)).getSessionList();
        assertEquals(
                List.of("alice", "bob"),
                inLobby.getSessionsList().stream()
                        .map(SessionInfo::getUserId)
                        .sorted()
                        .toList());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                admin.request(Admin.listSessions("nonsense", 0)).getError().getCode());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                admin.request(Admin.listSessions("", 60_000)).getError().getCode());
    }

    @Test
    void kickClosesEverySessionOfTheUserWithTheDocumentedCode() throws Exception {
        TestClient tab1 = players.connect(node, "mallory");
        TestClient tab2 = players.connect(node, "mallory");
        TestClient bystander = players.connect(node, "bob");
        var r = admin.request(Admin.kick("mallory")).getAdminResult();
        assertEquals(2, r.getAffected());
        for (TestClient t : List.of(tab1, tab2)) {
            assertEquals(
                    CloseCodes.KICKED_BY_OPERATOR,
                    t.awaitPush(ServerFrame::hasGoodbye).getGoodbye().getReason());
            assertEquals(new TestClient.CloseStatus(CloseCodes.KICKED, CloseCodes.KICKED_BY_OPERATOR), t.awaitClose());
        }
        assertTrue(bystander.request(Req.ping()).hasPong(), "others carry on");
        assertEquals(0, admin.request(Admin.kick("nobody")).getAdminResult().getAffected());
    }

    @Test
    void announcementReachesEveryPlayerExceptTheExcludedRoom() throws Exception {
        TestClient a = players.connect(node, "alice");
        TestClient b = players.connect(node, "bob");
        TestClient c = players.connect(node, "carol");
        String id = a.request(Req.create("busy", 4, false)).getLobbyState().getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        var r = admin.request(Admin.announce("maintenance at noon", "lobby:" + id))
                .getAdminResult();
        assertEquals(1, r.getAffected(), "only carol: alice and bob are in the excluded lobby");
        assertEquals(
                "maintenance at noon",
                c.awaitPush(ServerFrame::hasAnnouncement).getAnnouncement().getText());
        assertTrue(a.request(Req.ping()).hasPong());
        assertTrue(b.request(Req.ping()).hasPong());
        assertEquals(
                List.of(),
                a.drainPushes().stream().filter(ServerFrame::hasAnnouncement).toList());
        assertEquals(
                List.of(),
                b.drainPushes().stream().filter(ServerFrame::hasAnnouncement).toList());
        assertEquals(
                3,
                admin.request(Admin.announce("everyone", "")).getAdminResult().getAffected());
    }

    @Test
    void closingALobbyRemovesEveryMemberAndTellsThem() throws Exception {
        TestClient a = players.connect(node, "alice");
        TestClient b = players.connect(node, "bob");
        String id = a.request(Req.create("to close", 4, false)).getLobbyState().getLobbyId();
        assertTrue(b.request(Req.join(id)).hasLobbyState());
        assertEquals(2, admin.request(Admin.closeLobby(id)).getAdminResult().getAffected());
        for (TestClient t : List.of(a, b)) {
            ServerFrame left = t.awaitPush(ServerFrame::hasLobbyLeft);
            assertEquals(LeftReason.CLOSED, left.getLobbyLeft().getReason());
        }
        assertTrue(node.node().directory().get(id).isEmpty());
        assertEquals(
                ErrorCode.NOT_FOUND,
                admin.request(Admin.closeLobby(id)).getError().getCode());
        assertEquals(
                ErrorCode.NOT_FOUND,
                a.request(Req.chat(id, "hello?")).getError().getCode());
    }

    @Test
    void playersCannotUseOperatorRequests() throws Exception {
        TestClient a = players.connect(node, "alice");
        assertEquals(
                ErrorCode.UNSUPPORTED, a.request(Admin.kick("bob")).getError().getCode());
        assertEquals(
                ErrorCode.UNSUPPORTED,
                a.request(Admin.listSessions("", 0)).getError().getCode());
    }
}
