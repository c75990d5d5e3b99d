package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.LeftReason;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.testing.OneNodeIT;
import io.tickroom.server.testing.Req;
import io.tickroom.server.testing.TestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LobbyFlowIT extends OneNodeIT {

    static LobbyState state(ServerFrame f) {
        assertTrue(f.hasLobbyState(), () -> "expected lobby_state, got " + f);
        return f.getLobbyState();
    }

    static List<String> members(LobbyState s) {
        return s.getMembersList().stream().map(LobbyMember::getUserId).toList();
    }

    static ServerFrame ok(ServerFrame f) {
        assertTrue(f.hasOk(), () -> "expected ok, got " + f);
        return f;
    }

    static ErrorCode error(ServerFrame f) {
        assertTrue(f.hasError(), () -> "expected error, got " + f);
        return f.getError().getCode();
    }

    @Test
    void createListJoinChatReadyLeaveWithThreeClientsInOneOrder() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");

        LobbyState created = state(a.request(Req.create("Friday night", 3, false)));
        String id = created.getLobbyId();
        assertEquals("alice", created.getHostUserId());
        assertEquals(List.of("alice"), members(created));
        ServerFrame push = a.nextPush();
        assertEquals("lobby:" + id, push.getStream());
        assertEquals(1, push.getSeq());

        var listed = b.request(Req.list("arena")).getLobbyList();
        assertEquals(1, listed.getLobbiesCount());
        assertEquals(id, listed.getLobbies(0).getLobbyId());
        assertEquals(1, listed.getLobbies(0).getPlayers());

        assertEquals(List.of("alice", "bob"), members(state(b.request(Req.join(id)))));
        assertEquals(List.of("alice", "bob", "carol"), members(state(c.request(Req.join(id)))));

        ok(a.request(Req.chat(id, "hello all")));
        ok(b.request(Req.ready(id, true)));
        ok(c.request(Req.leave(id)));

        // every member sees the same events with the same seqs, in the same order
        List<String> aSees = events(a, 5);
        List<String> bSees = events(b, 5);
        assertEquals(
                List.of(
                        "2:state[alice, bob]",
                        "3:state[alice, bob, carol]",
                        "4:chat alice: hello all",
                        "5:state[alice, bob*, carol]",
                        "6:state[alice, bob*]"),
                aSees);
        assertEquals(aSees, bSees);
        // carol saw her join, the chat, the ready, then lobby_left on her user stream
        List<String> cSees = events(c, 3);
        assertEquals(
                List.of("3:state[alice, bob, carol]", "4:chat alice: hello all", "5:state[alice, bob*, carol]"), cSees);
        ServerFrame left = c.nextPush();
        assertEquals(LeftReason.LEFT, left.getLobbyLeft().getReason());
        assertEquals("user:carol", left.getStream());
    }

    /** Reads n lobby pushes and renders them "seq:kind". */
    static List<String> events(TestClient client, int n) throws Exception {
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            ServerFrame f = client.nextPush();
            if (f.hasLobbyState()) {
                LobbyState s = f.getLobbyState();
                out.add(f.getSeq() + ":state"
                        + s.getMembersList().stream()
                                .map(m -> m.getUserId() + (m.getReady() ? "*" : ""))
                                .toList());
            } else if (f.hasChat()) {
                out.add(f.getSeq() + ":chat " + f.getChat().getFromUserId() + ": "
                        + f.getChat().getText());
            } else {
                out.add(f.getSeq() + ":" + f.getBodyCase());
            }
        }
        return out;
    }

    @Test
    void createJoinChatWithTwoClients() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id = state(a.request(Req.create("duel", 2, false))).getLobbyId();
        state(b.request(Req.join(id)));
        ok(b.request(Req.chat(id, "gg")));
        ServerFrame chatAtA = a.awaitPush(ServerFrame::hasChat);
        assertEquals("bob", chatAtA.getChat().getFromUserId());
        assertEquals("Name of bob", chatAtA.getChat().getFromName());
        assertEquals("gg", chatAtA.getChat().getText());
        assertTrue(chatAtA.getChat().getSentAtMs() > 0);
        assertEquals("gg", b.awaitPush(ServerFrame::hasChat).getChat().getText());
    }

    @Test
    void hostLeavingHandsTheLobbyToTheLongestStandingMember() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");
        String id = state(a.request(Req.create("handover", 4, false))).getLobbyId();
        state(b.request(Req.join(id)));
        state(c.request(Req.join(id)));
        ok(a.request(Req.leave(id)));
        LobbyState after =
                state(c.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2));
        assertEquals("bob", after.getHostUserId());
        assertEquals(List.of("bob", "carol"), members(after));
    }

    @Test
    void hostDisconnectingHandsOverToo() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id = state(a.request(Req.create("drop", 4, false))).getLobbyId();
        state(b.request(Req.join(id)));
        a.close();
        LobbyState after =
                state(b.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 1));
        assertEquals("bob", after.getHostUserId());
    }

    @Test
    void hostKicksAMemberWhoIsToldAndRemoved() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");
        String id = state(a.request(Req.create("kick", 4, false))).getLobbyId();
        state(b.request(Req.join(id)));
        state(c.request(Req.join(id)));
        assertEquals(ErrorCode.FORBIDDEN, error(b.request(Req.kick(id, "carol"))));
        ok(a.request(Req.kick(id, "bob")));
        ServerFrame kicked = b.awaitPush(ServerFrame::hasLobbyLeft);
        assertEquals(LeftReason.KICKED, kicked.getLobbyLeft().getReason());
        assertEquals(
                List.of("alice", "carol"),
                members(state(
                        c.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembersCount() == 2))));
        // bob no longer receives the lobby's chat
        ok(a.request(Req.chat(id, "bye bob")));
        c.awaitPush(ServerFrame::hasChat);
        assertTrue(b.request(Req.ping()).hasPong());
        assertFalse(b.drainPushes().stream().anyMatch(ServerFrame::hasChat));
        assertEquals(ErrorCode.NOT_FOUND, error(b.request(Req.chat(id, "let me in"))));
    }

    @Test
    void privateLobbyIsUnlistedAndJoinedByCodeOnly() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        LobbyState created = state(a.request(Req.create("secret", 4, true)));
        assertTrue(created.getPrivate());
        assertEquals(6, created.getJoinCode().length());
        assertEquals(0, b.request(Req.list("arena")).getLobbyList().getLobbiesCount());
        assertEquals(ErrorCode.FORBIDDEN, error(b.request(Req.join(created.getLobbyId()))));
        assertEquals(ErrorCode.NOT_FOUND, error(b.request(Req.joinByCode("ZZZZZZ"))));
        LobbyState joined = state(b.request(Req.joinByCode(created.getJoinCode().toLowerCase())));
        assertEquals(List.of("alice", "bob"), members(joined));
        assertEquals(created.getJoinCode(), joined.getJoinCode());
    }

    @Test
    void publicLobbyListShowsNoJoinCodeToNonMembers() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String code = state(a.request(Req.create("open", 4, false))).getJoinCode();
        var summary = b.request(Req.list("arena")).getLobbyList().getLobbies(0);
        assertEquals(0, summary.getUnknownFields().asMap().size());
        assertTrue(b.request(Req.ping()).hasPong());
        // nothing the non-member received carries the code: no lobby state reaches it
        assertFalse(b.drainPushes().stream()
                .anyMatch(f -> f.hasLobbyState() || f.toString().contains(code)));
        assertFalse(summary.toString().contains(code));
    }

    @Test
    void fullLobbyAnswersFull() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");
        String id = state(a.request(Req.create("pair", 2, false))).getLobbyId();
        state(b.request(Req.join(id)));
        ServerFrame r = c.request(Req.join(id));
        assertEquals(ErrorCode.FULL, error(r));
        assertEquals(
                2, a.request(Req.list("arena")).getLobbyList().getLobbies(0).getPlayers());
    }

    @Test
    void joiningTwiceOrASecondLobbyAnswersAlreadyIn() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id1 = state(a.request(Req.create("one", 4, false))).getLobbyId();
        String id2 = state(b.request(Req.create("two", 4, false))).getLobbyId();
        assertEquals(ErrorCode.ALREADY_IN, error(a.request(Req.join(id1))));
        assertEquals(ErrorCode.ALREADY_IN, error(a.request(Req.join(id2))));
        assertEquals(ErrorCode.ALREADY_IN, error(a.request(Req.create("three", 4, false))));
        assertEquals(ErrorCode.NOT_FOUND, error(a.request(Req.join("doesnotexist"))));
    }

    @Test
    void alreadyInNamesTheLobbySoTheClientCanGoBackToIt() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id1 = state(a.request(Req.create("one", 4, false))).getLobbyId();
        String id2 = state(b.request(Req.create("two", 4, false))).getLobbyId();
        for (ServerFrame refused : List.of(
                a.request(Req.join(id1)),
                a.request(Req.join(id2)),
                a.request(Req.create("three", 4, false)),
                a.request(io.tickroom.server.testing.Games.quick("arena")))) {
            assertEquals(ErrorCode.ALREADY_IN, error(refused));
            assertTrue(refused.getError().getMessage().contains("lobby " + id1), refused::toString);
        }
    }

    @Test
    void createWithoutMaxPlayersTakesTheModesMaximumCappedByTheServer() throws Exception {
        TestClient a = connect("alice");
        LobbyState arena = state(a.request(Req.create("sized by the mode", "arena", Map.of())));
        assertEquals(16, arena.getMaxPlayers());
        ok(a.request(Req.leave(arena.getLobbyId())));
        LobbyState duel = state(a.request(Req.create("duel", "arena-duel", Map.of())));
        assertEquals(2, duel.getMaxPlayers());
        ok(a.request(Req.leave(duel.getLobbyId())));
        LobbyState lounge = state(a.request(Req.create("hub", "lounge", Map.of())));
        assertEquals(64, lounge.getMaxPlayers(), "the mode allows 4096; --max-lobby-players caps it at 64");
        ok(a.request(Req.leave(lounge.getLobbyId())));
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                error(a.request(Req.create("too big", 17, false))),
                "16 is arena's maximum");
    }

    @Test
    void attributesSetAtCreateAreInTheStateAndTheListingAndFilterIt() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        TestClient c = connect("carol");
        LobbyState eu = state(a.request(Req.create("eu dust", "arena", Map.of("map", "dust", "region", "eu"))));
        assertEquals(Map.of("map", "dust", "region", "eu"), eu.getAttributesMap());
        assertEquals(
                Map.of("map", "dust", "region", "eu"),
                a.nextPush().getLobbyState().getAttributesMap(),
                "pushed too");
        LobbyState us = state(b.request(Req.create("us dust", "arena", Map.of("map", "dust", "region", "us"))));
        state(c.request(Req.create("plain", "arena", Map.of())));

        TestClient viewer = connect("viewer");
        var dust = viewer.request(Req.list("arena", Map.of("map", "dust"))).getLobbyList();
        // (created within the same millisecond their order may tie: compared as a set)
        assertEquals(
                java.util.Set.of(us.getLobbyId(), eu.getLobbyId()),
                dust.getLobbiesList().stream().map(l -> l.getLobbyId()).collect(java.util.stream.Collectors.toSet()));
        for (var l : dust.getLobbiesList()) {
            assertEquals(
                    l.getLobbyId().equals(us.getLobbyId())
                            ? Map.of("map", "dust", "region", "us")
                            : Map.of("map", "dust", "region", "eu"),
                    l.getAttributesMap());
        }
        var euOnly = viewer.request(Req.list("arena", Map.of("map", "dust", "region", "eu")))
                .getLobbyList();
        assertEquals(
                List.of(eu.getLobbyId()),
                euOnly.getLobbiesList().stream().map(l -> l.getLobbyId()).toList());
        assertEquals(
                0,
                viewer.request(Req.list("arena", Map.of("map", "nuke")))
                        .getLobbyList()
                        .getLobbiesCount());
        assertEquals(3, viewer.request(Req.list("arena")).getLobbyList().getLobbiesCount(), "no filter: all of them");
        assertEquals(
                Map.of("map", "dust", "region", "eu"),
                state(viewer.request(Req.join(eu.getLobbyId()))).getAttributesMap());
    }

    @Test
    void theHostUpdatesAttributesEveryMemberIsPushedThemAndTheListingFollows() throws Exception {
        TestClient a = connect("alice");
        TestClient b = connect("bob");
        String id = state(a.request(Req.create("n", "arena", Map.of("map", "dust", "region", "eu"))))
                .getLobbyId();
        state(b.request(Req.join(id)));
        a.drainPushes();
        b.drainPushes();
        LobbyState updated =
                state(a.request(Req.update(id, Map.of("map", "nuke", "skill", "gold"), List.of("region"))));
        assertEquals(Map.of("map", "nuke", "skill", "gold"), updated.getAttributesMap());
        for (TestClient member : List.of(a, b)) {
            // a state pushed for bob's join may still be on its way (drained above or not): the
            // member must get one carrying the update, whatever came before it
            assertEquals(
                    updated.getAttributesMap(),
                    member.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getVersion() >= updated.getVersion())
                            .getLobbyState()
                            .getAttributesMap());
        }
        assertEquals(
                0,
                b.request(Req.list("arena", Map.of("map", "dust")))
                        .getLobbyList()
                        .getLobbiesCount());
        assertEquals(
                1,
                b.request(Req.list("arena", Map.of("map", "nuke", "skill", "gold")))
                        .getLobbyList()
                        .getLobbiesCount());
        assertEquals(
                ErrorCode.FORBIDDEN,
                error(b.request(Req.update(id, Map.of("map", "mine"), List.of()))),
                "not the host");
        assertEquals(
                ErrorCode.NOT_FOUND, error(connect("carol").request(Req.update(id, Map.of("map", "x"), List.of()))));
    }

    @Test
    void attributesPastTheirBoundsAreInvalidArgumentAndChangeNothing() throws Exception {
        TestClient a = connect("alice");
        Map<String, String> seventeen = new java.util.HashMap<>();
        for (int i = 0; i < 17; i++) {
            seventeen.put("k" + i, "v");
        }
        Map<String, Map<String, String>> bad = new java.util.LinkedHashMap<>();
        bad.put("17 keys", seventeen);
        bad.put("a 65-byte key", Map.of("k".repeat(65), "v"));
        bad.put("a 257-byte value", Map.of("map", "v".repeat(257)));
        bad.put("a 129-character value of 2-byte characters", Map.of("map", "é".repeat(129)));
        bad.put("an empty value", Map.of("map", ""));
        bad.put("a key with a space", Map.of("the map", "dust"));
        bad.put("a control character", Map.of("map", "du\u0000st"));
        for (var e : bad.entrySet()) {
            ServerFrame r = a.request(Req.create("n", "arena", e.getValue()));
            assertEquals(ErrorCode.INVALID_ARGUMENT, error(r), e.getKey());
            assertTrue(r.getError().getMessage().startsWith("attributes"), r::toString);
        }
        Map<String, String> limits = Map.of("k".repeat(64), "v".repeat(256), "e", "é".repeat(128));
        String id =
                state(a.request(Req.create("at the limits", "arena", limits))).getLobbyId();
        ServerFrame five = a.request(Req.list("arena", Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(five));
        assertTrue(five.getError().getMessage().startsWith("filter: at most 4 keys"), five::toString);
        assertEquals(
                1,
                a.request(Req.list("arena", limits)).getLobbyList().getLobbiesCount(),
                "the limits themselves are fine");

        Map<String, String> fifteen = new java.util.HashMap<>();
        for (int i = 0; i < 14; i++) {
            fifteen.put("k" + i, "v");
        }
        state(a.request(Req.update(id, fifteen, List.of())));
        ServerFrame over = a.request(Req.update(id, Map.of("one", "more"), List.of()));
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(over), "17 after the change");
        assertEquals(ErrorCode.INVALID_ARGUMENT, error(a.request(Req.update(id, Map.of(), List.of("bad key")))));
        var listed =
                connect("bob").request(Req.list("arena", Map.of("k0", "v"))).getLobbyList();
        assertEquals(16, listed.getLobbies(0).getAttributesCount(), "the refused changes changed nothing");
    }

    @Test
    void listModesDescribesEveryModeAndTheWelcomeNamesThem() throws Exception {
        TestClient a = connect("alice");
        List<String> welcomed = a.welcome().getWelcome().getModesList();
        assertTrue(
                welcomed.containsAll(List.of("arena", "arena-duel", "arena-8", "arena-sprint", "lounge")),
                welcomed::toString);
        var modes = a.request(Req.listModes()).getModeList().getModesList();
        assertEquals(
                welcomed.stream().sorted().toList(),
                modes.stream().map(m -> m.getName()).toList(),
                "sorted by name");
        var arena = modes.stream()
                .filter(m -> m.getName().equals("arena"))
                .findFirst()
                .orElseThrow();
        assertEquals(2, arena.getMinPlayers());
        assertEquals(16, arena.getMaxPlayers());
        assertEquals(20, arena.getTickRateHz());
        assertEquals(4, arena.getQuickMatchPlayers());
        assertTrue(arena.getQuickMatch());
    }

    @Test
    void listingPagesNewestFirstAndByFill() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestClient h = connect("host" + i);
            ids.add(state(h.request(Req.create("L" + i, 4, false))).getLobbyId());
        }
        TestClient j = connect("joiner");
        state(j.request(Req.join(ids.get(1))));
        TestClient viewer = connect("viewer");
        var p1 = viewer.request(Req.list("arena", 2, "", LobbyOrder.LOBBY_ORDER_NEWEST))
                .getLobbyList();
        assertEquals(2, p1.getLobbiesCount());
        assertFalse(p1.getNextPageToken().isEmpty());
        var p2 = viewer.request(Req.list("arena", 2, p1.getNextPageToken(), LobbyOrder.LOBBY_ORDER_NEWEST))
                .getLobbyList();
        var p3 = viewer.request(Req.list("arena", 2, p2.getNextPageToken(), LobbyOrder.LOBBY_ORDER_NEWEST))
                .getLobbyList();
        assertEquals(1, p3.getLobbiesCount());
        assertTrue(p3.getNextPageToken().isEmpty());
        List<String> all = new ArrayList<>();
        for (var p : List.of(p1, p2, p3)) {
            p.getLobbiesList().forEach(l -> all.add(l.getLobbyId()));
        }
        assertEquals(5, all.stream().distinct().count());
        var fill = viewer.request(Req.list("arena", 1, "", LobbyOrder.LOBBY_ORDER_FILL))
                .getLobbyList();
        assertEquals(ids.get(1), fill.getLobbies(0).getLobbyId());
        assertEquals(
                ErrorCode.INVALID_ARGUMENT,
                error(viewer.request(Req.list("other-mode-x", 10, "", LobbyOrder.LOBBY_ORDER_NEWEST))));
    }

    @Test
    void twoTabsOfOneUserSeeTheSameLobby() throws Exception {
        TestClient tab1 = connect("alice");
        TestClient tab2 = connect("alice");
        TestClient b = connect("bob");
        String id = state(tab1.request(Req.create("tabs", 4, false))).getLobbyId();
        assertEquals(id, state(tab2.awaitPush(ServerFrame::hasLobbyState)).getLobbyId());
        state(b.request(Req.join(id)));
        ok(b.request(Req.chat(id, "hi alice")));
        assertEquals("hi alice", tab1.awaitPush(ServerFrame::hasChat).getChat().getText());
        assertEquals("hi alice", tab2.awaitPush(ServerFrame::hasChat).getChat().getText());
        // a tab may speak for the user: tab2 readies, tab1 sees it
        ok(tab2.request(Req.ready(id, true)));
        tab1.awaitPush(f -> f.hasLobbyState() && f.getLobbyState().getMembers(0).getReady());
        // closing one tab keeps the user in the lobby
        tab2.close();
        ok(b.request(Req.chat(id, "still there?")));
        assertEquals(
                "still there?", tab1.awaitPush(ServerFrame::hasChat).getChat().getText());
        // a third tab opened later joins the lobby room at once and is given the state
        TestClient tab3 = connect("alice");
        assertEquals(
                id, tab3.awaitPush(ServerFrame::hasLobbyState).getLobbyState().getLobbyId());
    }

    @Test
    void directMessageReachesEverySessionOfTheUser() throws Exception {
        TestClient tab1 = connect("alice");
        TestClient tab2 = connect("alice");
        TestClient b = connect("bob");
        ok(b.request(Req.dm("alice", "psst")));
        for (TestClient tab : List.of(tab1, tab2)) {
            ServerFrame dm = tab.awaitPush(ServerFrame::hasDirectMessage);
            assertEquals("bob", dm.getDirectMessage().getFromUserId());
            assertEquals("psst", dm.getDirectMessage().getText());
            assertEquals("user:alice", dm.getStream());
            assertEquals(1, dm.getSeq());
        }
        assertEquals(ErrorCode.NOT_FOUND, error(b.request(Req.dm("nobody", "hello?"))));
    }
}
