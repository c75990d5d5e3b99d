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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The single-node directory: plain maps under one lock. Every operation is short and never
 * calls out, so one lock is both correct and fast enough for a node's worth of lobbies.
 * An unfiltered listing walks a sorted index ({@link LobbyIndex}) instead of sorting the mode's lobbies.
 * Listing reads indexes, never every lobby: public lobbies by mode, and by (mode, attribute key,
 * value); a filtered listing walks the smallest index set of its filter and checks the rest on
 * each lobby's own attributes.
 */
final class MemoryLobbyDirectory implements LobbyDirectory {
    private final int maxLobbies;
    private final LongSupplier clockMs;
    private final Map<String, Lobby> lobbies = new HashMap<>();
    private final Map<String, String> lobbyByUser = new HashMap<>();
    private final Map<String, String> lobbyByCode = new HashMap<>();
    private final Map<String, Set<String>> publicByMode = new HashMap<>();
    private final Map<Attribute, Set<String>> publicByAttribute = new HashMap<>();

    /** One index entry: the public lobbies of {@code mode} whose attribute {@code key} is {@code value}. */
    private record Attribute(String mode, String key, String value) {}
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
            throw new LobbyException(
                    Reason.LIMIT_REACHED, "this server holds its maximum of " + maxLobbies + " lobbies");
        }
        String id;
        do {
            id = Ids.newId(12);
        } while (lobbies.containsKey(id));
        String code;
        do {
            code = Ids.newJoinCode();
        } while (lobbyByCode.containsKey(code));
        Lobby lobby = new Lobby(
                id,
                spec.name(),
                spec.mode(),
                spec.maxPlayers(),
                spec.isPrivate(),
                code,
                host.userId(),
                List.of(host),
                clockMs.getAsLong(),
                1,
                spec.attributes());
        store(null, lobby);
        lobbyByUser.put(host.userId(), id);
        lobbyByCode.put(code, id);
        index(lobby);
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
            throw new LobbyException(
                    Reason.ALREADY_IN,
                    current.equals(lobbyId) ? "already in this lobby " + lobbyId : "already in lobby " + current);
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
        Lobby next = with(lobby, lobby.hostUserId(), Lobby.plus(lobby.members(), member));
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
            unindex(lobby);
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
            throw new LobbyException(
                    Reason.NOT_READY,
                    "needs at least " + minPlayers + " players, has "
                            + lobby.members().size());
        }
        if (!lobby.allReady()) {
            throw new LobbyException(Reason.NOT_READY, "not every member is ready");
        }
        drop(lobby);
        lobbyByCode.remove(lobby.joinCode());
        unindex(lobby);
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
    public synchronized Lobby updateAttributes(
            String lobbyId, String hostUserId, Map<String, String> set, Set<String> remove) throws LobbyException {
        Lobby lobby = member(lobbyId, hostUserId);
        if (!lobby.hostUserId().equals(hostUserId)) {
            throw new LobbyException(Reason.FORBIDDEN, "only the host may change the lobby");
        }
        Map<String, String> attributes = new HashMap<>(lobby.attributes());
        attributes.putAll(set);
        attributes.keySet().removeAll(remove);
        if (attributes.size() > MAX_ATTRIBUTES) {
            throw new LobbyException(
                    Reason.INVALID,
                    "a lobby keeps at most " + MAX_ATTRIBUTES + " attributes, this change makes " + attributes.size());
        }
        unindex(lobby);
        Lobby next = new Lobby(
                lobby.id(),
                lobby.name(),
                lobby.mode(),
                lobby.maxPlayers(),
                lobby.isPrivate(),
                lobby.joinCode(),
                lobby.hostUserId(),
                lobby.members(),
                lobby.createdAtMs(),
                lobby.version() + 1,
                attributes);
        store(lobby, next);
        index(next);
        return next;
    }

    @Override
    public synchronized LobbyPage list(String mode, Order order, Map<String, String> filter, int offset, int limit) {
        if (filter.isEmpty()) {
            return index.page(mode, order, Math.max(0, offset), limit);
        }
        // walk the smallest index set the listing names; check the other pairs on the lobby itself
        Set<String> candidates = publicByMode.getOrDefault(mode, Set.of());
        for (Map.Entry<String, String> f : filter.entrySet()) {
            Set<String> ids = publicByAttribute.getOrDefault(new Attribute(mode, f.getKey(), f.getValue()), Set.of());
            if (ids.size() < candidates.size()) {
                candidates = ids;
            }
        }
        List<Lobby> matching = new ArrayList<>();
        for (String id : candidates) {
            Lobby l = lobbies.get(id);
            if (l.attributes().entrySet().containsAll(filter.entrySet())) {
                matching.add(l);
            }
        }
        Comparator<Lobby> newest =
                Comparator.comparingLong(Lobby::createdAtMs).reversed().thenComparing(Lobby::id);
        Comparator<Lobby> cmp = order == Order.FILL
                ? Comparator.<Lobby>comparingInt(
                                l -> l.maxPlayers() - l.members().size())
                        .thenComparing(newest)
                : newest;
        matching.sort(cmp);
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        return new LobbyPage(matching.subList(from, to), to < matching.size() ? to : -1);
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
        return l.withMembers(host, members, l.version() + 1);
    }

    /** Adds a public lobby to the listing indexes (private lobbies are never listed). */
    private void index(Lobby l) {
        if (l.isPrivate()) {
            return;
        }
        publicByMode.computeIfAbsent(l.mode(), k -> new HashSet<>()).add(l.id());
        for (Map.Entry<String, String> a : l.attributes().entrySet()) {
            publicByAttribute
                    .computeIfAbsent(new Attribute(l.mode(), a.getKey(), a.getValue()), k -> new HashSet<>())
                    .add(l.id());
        }
    }

    /** Takes a lobby out of the listing indexes; an index set left empty goes too. */
    private void unindex(Lobby l) {
        if (l.isPrivate()) {
            return;
        }
        removeFrom(publicByMode, l.mode(), l.id());
        for (Map.Entry<String, String> a : l.attributes().entrySet()) {
            removeFrom(publicByAttribute, new Attribute(l.mode(), a.getKey(), a.getValue()), l.id());
        }
    }

    private static <K> void removeFrom(Map<K, Set<String>> index, K key, String id) {
        Set<String> ids = index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }

    /** Index sets held (a leak check for tests: 0 once every public lobby is gone). */
    synchronized int indexSets() {
        return publicByMode.size() + publicByAttribute.size();
    }

    @Override
    public Lobby restore(Lobby known, java.util.List<Member> localMembers) {
        return known; // memory is never lost under a running node
    }
}
