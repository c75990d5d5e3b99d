package io.tickroom.server.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where lobbies live. Every mutation is atomic, bumps the lobby's version and returns the new
 * snapshot, and never lets a lobby hold more members than its seats or a user be in two lobbies,
 * whichever threads (or, clustered, nodes) the calls come from. Callable from any thread; the
 * in-memory implementation never blocks for long, a remote one may take a round trip. A remote
 * implementation that cannot reach its store throws {@link ClusterUnavailableException} from the
 * reads and {@code LobbyException(UNAVAILABLE)} from the mutations.
 */
public interface LobbyDirectory {

    /** Most attributes one lobby keeps. */
    int MAX_ATTRIBUTES = 16;

    /** Most attribute keys one listing filters on (each is one index read). */
    int MAX_FILTER_KEYS = 4;

    enum Order {
        NEWEST,
        FILL
    }

    /** Creates a lobby with {@code host} as its only member and host. ALREADY_IN, LIMIT_REACHED. */
    Lobby create(NewLobby spec, Member host) throws LobbyException;

    /**
     * Adds a member. A private lobby needs its join code. NOT_FOUND, FULL, ALREADY_IN (in this or
     * another lobby), FORBIDDEN (private without the right code).
     */
    Lobby join(String lobbyId, String joinCode, Member member) throws LobbyException;

    /** The lobby a join code opens. */
    Optional<String> findByJoinCode(String joinCode);

    /**
     * Removes a member; the host role passes to the longest-standing member; an empty lobby is
     * removed. NOT_FOUND, NOT_MEMBER.
     */
    Left leave(String lobbyId, String userId) throws LobbyException;

    /** NOT_FOUND, NOT_MEMBER. */
    Lobby setReady(String lobbyId, String userId, boolean ready) throws LobbyException;

    /** The host removes a member. NOT_FOUND, FORBIDDEN (not the host, or the host itself), NOT_MEMBER. */
    Lobby kick(String lobbyId, String hostUserId, String targetUserId) throws LobbyException;

    /**
     * The host starts the match: when every member is ready and there are at least
     * {@code minPlayers}, the lobby is removed (it becomes the match) and its last snapshot
     * returned. NOT_FOUND, NOT_MEMBER, FORBIDDEN (not the host), NOT_READY.
     */
    Lobby start(String lobbyId, String hostUserId, int minPlayers) throws LobbyException;

    Optional<Lobby> get(String lobbyId);

    /** The lobby the user is a member of, if any. */
    Optional<String> lobbyOf(String userId);

    /** Public lobbies of a mode, paged by offset. */
    default LobbyPage list(String mode, Order order, int offset, int limit) {
        return list(mode, order, Map.of(), offset, limit);
    }

    /**
     * Public lobbies of a mode whose attributes hold every pair of {@code filter} (exact match, at
     * most {@link #MAX_FILTER_KEYS} keys), in {@code order}, paged by offset. Served from indexes
     * kept per mode and per (mode, key, value): the cost grows with the lobbies that match the
     * most selective key, never with every lobby of the directory.
     */
    LobbyPage list(String mode, Order order, Map<String, String> filter, int offset, int limit);

    /**
     * The host changes the lobby's attributes: {@code set} is added or replaced, then
     * {@code remove} removed. NOT_FOUND, NOT_MEMBER, FORBIDDEN (not the host), INVALID (more than
     * {@link #MAX_ATTRIBUTES} after the change; nothing changes).
     */
    Lobby updateAttributes(String lobbyId, String hostUserId, Map<String, String> set, Set<String> remove)
            throws LobbyException;

    /**
     * After the store lost its data (Redis restarted empty): writes back a lobby this node knows
     * ({@code known}, its last snapshot here) with the members whose sessions are on this node.
     * The node that finds the lobby gone recreates it with every member of {@code known} (so that
     * no member is missing while the other nodes catch up; the caller releases those whose node
     * never confirms them); a node that finds it back adds only its own missing members.
     * Members come back not ready; the host stays if restored, else the first member hosts.
     * The in-memory directory never loses data and returns {@code known} as it is.
     */
    Lobby restore(Lobby known, java.util.List<Member> localMembers) throws LobbyException;

    /**
     * A number that changes whenever a listing could change (memory: a counter bumped by every
     * mutation, under the directory's lock); -1 when the directory cannot say, and listings must
     * not be cached. Read before a listing, it never names a version older than that listing.
     */
    default long listVersion() {
        return -1;
    }

    /** Lobbies in the directory. */
    int count();

    /**
     * Lobbies this node's directory holds itself (a leak check: 0 once they are gone). Memory:
     * {@link #count()}; Redis: 0, the lobbies are shared and a node's leak check looks at its
     * rooms and streams instead.
     */
    int localLobbies();

    /** Users this node's directory indexes as lobby members (memory: the sum of lobby sizes; Redis: 0). */
    int localMembers();

    /** The outcome of a leave: the lobby after it, and whether that emptied and removed it. */
    record Left(Lobby lobby, boolean removed) {}
}
