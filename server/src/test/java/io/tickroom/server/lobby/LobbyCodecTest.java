package io.tickroom.server.lobby;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole state from cached member wire forms is the state field by field, and the cache stays bounded. */
class LobbyCodecTest {

    static Lobby lobby(List<Member> members) {
        return new Lobby(
                "L1", "hub", "lounge", 4096, false, "CODE", members.get(0).userId(), members, 7, 42, Map.of("k", "v"));
    }

    @Test
    void aStateFromCachedMembersIsByteForByteTheStateBuiltFieldByField() throws Exception {
        List<Member> members = List.of(
                new Member("alice", "Alice", true), new Member("bob", "Bøb ☃", false), new Member("c", "", false));
        LobbyState cached = LobbyCodec.state(lobby(members));
        LobbyState.Builder plain = cached.toBuilder().clearMembers();
        for (Member m : members) {
            plain.addMembers(LobbyMember.newBuilder()
                    .setUserId(m.userId())
                    .setName(m.name())
                    .setReady(m.ready()));
        }
        assertArrayEquals(plain.build().toByteArray(), cached.toByteArray());
        assertEquals(
                "Bøb ☃",
                LobbyState.parseFrom(cached.toByteString()).getMembers(1).getName());
        assertSame(LobbyCodec.wire(new Member("bob", "Bøb ☃", false)), cached.getMembers(1), "equal members share one");
    }

    @Test
    void theEncodedStateAnswerParsesAsTheStateItAnswersWith() throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) { // past one-byte lengths for the state and the members
            members.add(new Member("user-" + i, i % 3 == 0 ? "Bøb ☃ " + i : "p" + i, i % 2 == 0));
        }
        for (List<Member> some : List.of(members.subList(0, 1), members.subList(0, 5), members)) {
            Lobby l = lobby(some);
            // the expected state built field by field, not from the cache under test
            LobbyState.Builder plain = LobbyCodec.state(l).toBuilder().clearMembers();
            for (Member m : some) {
                plain.addMembers(LobbyMember.newBuilder()
                        .setUserId(m.userId())
                        .setName(m.name())
                        .setReady(m.ready()));
            }
            for (int replyTo : new int[] {1, 127, 128, 300_000, Integer.MAX_VALUE, -1}) {
                ServerFrame answer = ServerFrame.parseFrom(LobbyCodec.stateAnswer(l, replyTo));
                assertEquals(
                        ServerFrame.newBuilder()
                                .setReplyTo(replyTo)
                                .setLobbyState(plain)
                                .build(),
                        answer,
                        some.size() + " members, reply to " + replyTo);
                assertEquals(some.size(), answer.getLobbyState().getMembersCount());
            }
        }
        ServerFrame unanswered = ServerFrame.parseFrom(LobbyCodec.stateAnswer(lobby(members.subList(0, 3)), 0));
        assertEquals(0, unanswered.getReplyTo());
        assertEquals(LobbyCodec.state(lobby(members.subList(0, 3))), unanswered.getLobbyState());
    }

    @Test
    void aMemberWhoseReadinessChangedGetsItsOwnWireForm() {
        Member waiting = new Member("dana", "Dana", false);
        assertEquals(false, LobbyCodec.wire(waiting).getReady());
        assertEquals(true, LobbyCodec.wire(waiting.withReady(true)).getReady());
    }

    @Test
    void theCacheNeverHoldsMoreThanItsBound() {
        List<Member> many = new ArrayList<>();
        for (int i = 0; i < LobbyCodec.MAX_CACHED_MEMBERS + 1_000; i++) {
            many.add(new Member("u" + i, "n" + i, false));
        }
        for (Member m : many) {
            LobbyCodec.wire(m);
            assertTrue(LobbyCodec.cachedMembers() <= LobbyCodec.MAX_CACHED_MEMBERS);
        }
        assertEquals("u66000", LobbyCodec.wire(many.get(66_000)).getUserId(), "still right after a clear");
    }

    /** The answer built field by field, not from either cache under test. */
    private static ServerFrame plainAnswer(Lobby l, int replyTo) {
        LobbyState.Builder plain = LobbyCodec.state(l).toBuilder().clearMembers();
        for (Member m : l.members()) {
            plain.addMembers(LobbyMember.newBuilder()
                    .setUserId(m.userId())
                    .setName(m.name())
                    .setReady(m.ready()));
        }
        return ServerFrame.newBuilder().setReplyTo(replyTo).setLobbyState(plain).build();
    }

    private static Lobby lobby(String id, List<Member> members, long version) {
        return new Lobby(
                id, "hub", "lounge", 4096, false, "CODE", members.get(0).userId(), members, 7, version, Map.of());
    }

    @Test
    void aBigLobbysAnswersReuseTheLastOneAndStillParseAsItsState() throws Exception {
        String id = "L-reuse-" + System.nanoTime();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < LobbyCodec.REUSE_FROM_MEMBERS + 100; i++) { // past one-byte lengths
            members.add(new Member("user-" + i, i % 3 == 0 ? "Bøb ☃ " + i : "p" + i, false));
        }
        long version = 1;
        // joins one by one, then a readiness change and a leave in the middle, a leave of the
        // first and the last, and members equal to the kept ones but not the same objects
        List<List<Member>> steps = new ArrayList<>();
        for (int n = 1; n <= members.size(); n++) {
            steps.add(List.copyOf(members.subList(0, n)));
        }
        List<Member> changed = new ArrayList<>(members);
        changed.set(50, changed.get(50).withReady(true));
        steps.add(List.copyOf(changed));
        changed.remove(70);
        steps.add(List.copyOf(changed));
        changed.remove(0);
        changed.remove(changed.size() - 1);
        steps.add(List.copyOf(changed));
        List<Member> copies = new ArrayList<>();
        for (Member m : changed) {
            copies.add(new Member(new String(m.userId()), new String(m.name()), m.ready()));
        }
        copies.add(new Member("late", "Late", true));
        steps.add(copies);
        steps.add(steps.get(steps.size() - 1)); // unchanged: a second answer of the same state
        steps.add(List.copyOf(copies.subList(0, copies.size() - 5))); // the last five left
        List<Long> lookedUp = new ArrayList<>();
        for (List<Member> step : steps) {
            Lobby l = lobby(id, step, version++);
            int replyTo = (int) version * 37;
            long before = LobbyCodec.membersLookedUp();
            assertEquals(
                    plainAnswer(l, replyTo),
                    ServerFrame.parseFrom(LobbyCodec.stateAnswer(l, replyTo)),
                    step.size() + " members at version " + l.version());
            lookedUp.add(LobbyCodec.membersLookedUp() - before);
            assertEquals(
                    step.size() >= LobbyCodec.REUSE_FROM_MEMBERS,
                    LobbyCodec.keepsAnswerOf(id),
                    step.size() + " members");
        }
        int n = members.size();
        int k = LobbyCodec.REUSE_FROM_MEMBERS;
        assertEquals(k, lookedUp.get(k - 1), "the first kept answer looks every member up");
        for (int i = k; i < n; i++) {
            assertEquals(1, lookedUp.get(i), "a join into a kept lobby of " + (i + 1) + " looks up the joiner only");
        }
        assertEquals(n - 50, lookedUp.get(n), "a readiness change: from that member on");
        assertEquals(n - 1 - 70, lookedUp.get(n + 1), "a leave: from its place on");
        assertEquals(n - 3, lookedUp.get(n + 2), "the first and the last left: everyone");
        assertEquals(1, lookedUp.get(n + 3), "equal members as new objects are still the same: the newcomer only");
        assertEquals(0, lookedUp.get(n + 4), "the same state again: nothing");
        assertEquals(0, lookedUp.get(n + 5), "the last ones left: nothing");
        LobbyCodec.forget(id);
        assertFalse(LobbyCodec.keepsAnswerOf(id), "forgotten with the lobby");
    }

    @Test
    void theKeptAnswersNeverOutnumberTheirBound() throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < LobbyCodec.REUSE_FROM_MEMBERS; i++) {
            members.add(new Member("u" + i, "n" + i, false));
        }
        for (int i = 0; i < LobbyCodec.MAX_KEPT_ANSWERS * 2 + 3; i++) {
            Lobby l = lobby("L-bound-" + i, members, 1);
            assertEquals(plainAnswer(l, 9), ServerFrame.parseFrom(LobbyCodec.stateAnswer(l, 9)));
            assertTrue(LobbyCodec.keptAnswers() <= LobbyCodec.MAX_KEPT_ANSWERS, "kept " + LobbyCodec.keptAnswers());
            assertTrue(LobbyCodec.keepsAnswerOf(l.id()), "the newest is kept");
        }
    }
}
