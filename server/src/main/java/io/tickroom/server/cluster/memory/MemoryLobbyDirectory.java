package io.tickroom.server.cluster.memory;

import io.tickroom.server.cluster.Ids;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyException.Reason;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The single-node directory: plain maps under one lock. Every operation is short and never
 * calls out, so one lock is both correct and fast enough for a node's worth of lobbies; a
 * listing walks a sorted index ({@link LobbyIndex}) instead of sorting the mode's lobbies.
 */
final class MemoryLobbyDirectory implements LobbyDirectory {
    private final int maxLobbies;
    private final LongSupplier clockMs;
    private final Map<String, Lobby> lobbies = new HashMap<>();
    private final Map<String, String> lobbyByUser = new HashMap<>();
    private final Map<String, String> lobbyByCode = new HashMap<>();
    /** Bumped by every mutation: a listing read at one version is the same until the next. */
    private long version;
    /** The public lobbies per mode in listing order; every store and drop keeps it in step. */
    private final LobbyIndex index = new LobbyIndex();

    public MemoryLobbyDirectory(int maxLobbies, LongSupplier clockMs) {
        this.maxLobbies = maxLobbies;
        this.clockMs = clockMs;
    }

    @Override
    public synchronized Lobby create(NewLobby spec, Member host) throws LobbyException {
        String current = lobbyByUser.get(host.userId());
        if (current != null) {
            throw new LobbyException(Reason.ALREADY_IN, "already in lobby " + current);
        }
        if (lobbies.size() >= maxLobbies) {
            throw new LobbyException(Reason.LIMIT_REACHED, "this server holds its maximum of " + maxLobbies + " lobbies");
        }
        String id;
        do {
            id = Ids.newId(12);
        } while (lobbies.containsKey(id));
        String code;
        do {
            code = Ids.newJoinCode();
        } while (lobbyByCode.containsKey(code));
        Lobby lobby = new Lobby(id, spec.name(), spec.mode(), spec.maxPlayers(), spec.isPrivate(), code,
                host.userId(), List.of(host), clockMs.getAsLong(), 1);
        store(null, lobby);
        lobbyByUser.put(host.userId(), id);
        lobbyByCode.put(code, id);
        return lobby;
    }

    @Override
    public synchronized Lobby join(String lobbyId, String joinCode, Member member) throws LobbyException {
        Lobby lobby = lobbies.get(lobbyId);
        if (lobby == null) {
            throw new LobbyException(Reason.NOT_FOUND, "no lobby " + lobbyId);
        }
        String current = lobbyByUser.get(member.userId());
        if (current != null) {
            throw new LobbyException(Reason.ALREADY_IN,
                    current.equals(lobbyId) ? "already in this lobby" : "already in lobby " + current);
        }
        if (lobby.isPrivate() && !lobby.joinCode().equals(joinCode)) {
            throw new LobbyException(Reason.FORBIDDEN, "private lobby: join with its join_code");
        }
        if (!joinCode.isEmpty() && !lobby.joinCode().equals(joinCode)) {
            throw new LobbyException(Reason.FORBIDDEN, "join_code does not match lobby " + lobbyId);
        }
        if (lobby.isFull()) {
            throw new LobbyException(Reason.FULL, "lobby is full (" + lobby.maxPlayers() + " players)");
        }
        List<Member> members = new ArrayList<>(lobby.members());
        members.add(member);
        Lobby next = with(lobby, lobby.hostUserId(), members);
        store(lobby, next);
        lobbyByUser.put(member.userId(), lobbyId);
        return next;
    }

    @Override
    public synchronized Optional<String> findByJoinCode(String joinCode) {
        return Optional.ofNullable(lobbyByCode.get(joinCode));
    }

    @Override
    public synchronized Left leave(String lobbyId, String userId) throws LobbyException {
        Lobby lobby = member(lobbyId, userId);
        List<Member> members = new ArrayList<>(lobby.members());
        members.removeIf(m -> m.userId().equals(userId));
        lobbyByUser.remove(userId);
        if (members.isEmpty()) {
            drop(lobby);
            lobbyByCode.remove(lobby.joinCode());
            return new Left(with(lobby, lobby.hostUserId(), members), true);
        }
        String host = lobby.hostUserId().equals(userId) ? members.get(0).userId() : lobby.hostUserId();
        Lobby next = with(lobby, host, members);
        store(lobby, next);
        return new Left(next, false);
    }

    @Override
    public synchronized Lobby setReady(String lobbyId, String userId, boolean ready) throws LobbyException {
        Lobby lobby = member(lobbyId, userId);
        List<Member> members = new ArrayList<>(lobby.members());
        members.replaceAll(m -> m.userId().equals(userId) ? m.withReady(ready) : m);
        Lobby next = with(lobby, lobby.hostUserId(), members);
        store(lobby, next);
        return next;
    }

    @Override
    public synchronized Lobby kick(String lobbyId, String hostUserId, String targetUserId) throws LobbyException {
        Lobby lobby = member(lobbyId, hostUserId);
        if (!lobby.hostUserId().equals(hostUserId)) {
            throw new LobbyException(Reason.FORBIDDEN, "only the host may kick");
        }
        if (hostUserId.equals(targetUserId)) {
            throw new LobbyException(Reason.FORBIDDEN, "the host cannot kick itself; leave instead");
        }
        if (!lobby.hasMember(targetUserId)) {
            throw new LobbyException(Reason.NOT_MEMBER, targetUserId + " is not in lobby " + lobbyId);
        }
        List<Member> members = new ArrayList<>(lobby.members());
        members.removeIf(m -> m.userId().equals(targetUserId));
        lobbyByUser.remove(targetUserId);
        Lobby next = with(lobby, hostUserId, members);
        store(lobby, next);
        return next;
    }

    @Override
    public synchronized Lobby start(String lobbyId, String hostUserId, int minPlayers) throws LobbyException {
        Lobby lobby = member(lobbyId, hostUserId);
        if (!lobby.hostUserId().equals(hostUserId)) {
            throw new LobbyException(Reason.FORBIDDEN, "only the host may start the match");
        }
        if (lobby.members().size() < minPlayers) {
            throw new LobbyException(Reason.NOT_READY,
                    "needs at least " + minPlayers + " players, has " + lobby.members().size());
        }
        if (!lobby.allReady()) {
            throw new LobbyException(Reason.NOT_READY, "not every member is ready");
        }
        drop(lobby);
        lobbyByCode.remove(lobby.joinCode());
        for (Member m : lobby.members()) {
            lobbyByUser.remove(m.userId());
        }
        return with(lobby, lobby.hostUserId(), lobby.members());
    }

    @Override
    public synchronized Optional<Lobby> get(String lobbyId) {
        return Optional.ofNullable(lobbies.get(lobbyId));
    }

    @Override
    public synchronized Optional<String> lobbyOf(String userId) {
        return Optional.ofNullable(lobbyByUser.get(userId));
    }

    @Override
    public synchronized LobbyPage list(String mode, Order order, int offset, int limit) {
        return index.page(mode, order, Math.max(0, offset), limit);
    }

    /** Public lobbies in the listing index (equals the public lobbies held: a test of the index). */
    synchronized int indexed() {
        return index.size();
    }

    @Override
    public synchronized int count() {
        return lobbies.size();
    }

    @Override
    public int localLobbies() {
        return count();
    }

    /** Users indexed as lobby members; equals the sum of lobby sizes (a leak check for tests). */
    @Override
    public synchronized int localMembers() {
        return lobbyByUser.size();
    }

    /** Every write of a lobby goes through here ({@code old} null for a new one). */
    private void store(Lobby old, Lobby next) {
        lobbies.put(next.id(), next);
        index.replace(old, next);
        version++;
    }

    /** Every removal of a lobby goes through here. */
    private void drop(Lobby lobby) {
        lobbies.remove(lobby.id());
        index.replace(lobby, null);
        version++;
    }

    @Override
    public synchronized long listVersion() {
        return version;
    }

    private Lobby member(String lobbyId, String userId) throws LobbyException {
        Lobby lobby = lobbies.get(lobbyId);
        if (lobby == null) {
            throw new LobbyException(Reason.NOT_FOUND, "no lobby " + lobbyId);
        }
        if (!lobby.hasMember(userId)) {
            throw new LobbyException(Reason.NOT_MEMBER, "not a member of lobby " + lobbyId);
        }
        return lobby;
    }

    private static Lobby with(Lobby l, String host, List<Member> members) {
        return new Lobby(l.id(), l.name(), l.mode(), l.maxPlayers(), l.isPrivate(), l.joinCode(), host, members,
                l.createdAtMs(), l.version() + 1);
    }

    @Override
    public Lobby restore(Lobby known, java.util.List<Member> localMembers) {
        return known; // memory is never lost under a running node
    }
}
