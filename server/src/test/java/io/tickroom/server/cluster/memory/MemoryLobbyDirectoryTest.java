package io.tickroom.server.cluster.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyDirectoryContract;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.NewLobby;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MemoryLobbyDirectoryTest extends LobbyDirectoryContract {
    long nowMs = 1_000;

    @Override
    protected LobbyDirectory directory(int maxLobbies) {
        return new MemoryLobbyDirectory(maxLobbies, () -> nowMs++);
    }

    @Override
    protected int attributeIndexEntries(LobbyDirectory d) {
        return ((MemoryLobbyDirectory) d).indexSets();
    }

    @Test
    void countsTheLobbiesAndMembersItHolds() throws Exception {
        LobbyDirectory d = directory(10);
        Lobby l = d.create(new NewLobby("n", "arena", 4, false), m("a"));
        d.join(l.id(), "", m("b"));
        d.create(new NewLobby("o", "arena", 4, false), m("c"));
        assertEquals(2, d.localLobbies());
        assertEquals(3, d.localMembers());
    }

    /** What a listing must be: the mode's public lobbies, sorted, then paged (the old copy-and-sort). */
    static List<String> expected(
            MemoryLobbyDirectory d, List<String> ids, String mode, LobbyDirectory.Order order, int offset, int limit) {
        List<Lobby> all = new ArrayList<>();
        for (String id : ids) {
            d.get(id).filter(l -> !l.isPrivate() && l.mode().equals(mode)).ifPresent(all::add);
        }
        Comparator<Lobby> newest =
                Comparator.comparingLong(Lobby::createdAtMs).reversed().thenComparing(Lobby::id);
        all.sort(
                order == LobbyDirectory.Order.FILL
                        ? Comparator.<Lobby>comparingInt(
                                        l -> l.maxPlayers() - l.members().size())
                                .thenComparing(newest)
                        : newest);
        return all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size())).stream()
                .map(Lobby::id)
                .toList();
    }

    @Test
    void theSortedIndexesListExactlyWhatSortingEveryLobbyWouldAfterAnyMutations() throws Exception {
        MemoryLobbyDirectory d = new MemoryLobbyDirectory(10_000, () -> nowMs++);
        Random random = new Random(12);
        List<String> ids = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int op = 0; op < 5_000; op++) {
            int kind = random.nextInt(10);
            try {
                if (kind < 4 || ids.isEmpty()) {
                    String u = "u" + op;
                    Lobby l = d.create(
                            new NewLobby(
                                    "n" + op,
                                    random.nextBoolean() ? "arena" : "duel",
                                    2 + random.nextInt(6),
                                    random.nextInt(5) == 0),
                            m(u));
                    ids.add(l.id());
                    users.add(u);
                } else if (kind < 7) {
                    String u = "j" + op;
                    d.join(ids.get(random.nextInt(ids.size())), "", m(u));
                    users.add(u);
                } else if (kind < 9) {
                    String u = users.get(random.nextInt(users.size()));
                    d.lobbyOf(u).ifPresent(id -> {
                        try {
                            d.leave(id, u);
                        } catch (LobbyException e) {
                            throw new AssertionError(e);
                        }
                    });
                } else {
                    String id = ids.get(random.nextInt(ids.size()));
                    d.get(id).ifPresent(l -> {
                        try {
                            d.setReady(id, l.hostUserId(), true);
                        } catch (LobbyException e) {
                            throw new AssertionError(e);
                        }
                    });
                }
            } catch (LobbyException expectedRefusal) {
                // full, private, already in: refused and unchanged
            }
            if (op % 97 == 0) {
                for (String mode : List.of("arena", "duel")) {
                    for (LobbyDirectory.Order order : LobbyDirectory.Order.values()) {
                        int offset = random.nextInt(40);
                        LobbyPage page = d.list(mode, order, offset, 25);
                        assertEquals(
                                expected(d, ids, mode, order, offset, 25),
                                page.lobbies().stream().map(Lobby::id).toList(),
                                mode + " " + order + " from " + offset + " after " + op + " operations");
                    }
                }
            }
        }
        long publicHeld = ids.stream()
                .filter(id -> d.get(id).map(l -> !l.isPrivate()).orElse(false))
                .count();
        assertEquals(publicHeld, d.indexed(), "the index holds every public lobby, once");
    }
}
