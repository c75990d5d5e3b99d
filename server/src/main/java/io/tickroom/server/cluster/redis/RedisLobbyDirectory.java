package io.tickroom.server.cluster.redis;

import io.tickroom.server.cluster.ClusterUnavailableException;
import io.tickroom.server.cluster.Ids;
import io.tickroom.server.cluster.Lobby;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.cluster.LobbyException;
import io.tickroom.server.cluster.LobbyException.Reason;
import io.tickroom.server.cluster.LobbyPage;
import io.tickroom.server.cluster.Member;
import io.tickroom.server.cluster.NewLobby;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

/**
 * The lobby directory in Redis, shared by every node.
 *
 * <p>Design note. A lobby is a hash ({@code {lobby:ID}}: name, mode, seats, privacy, join code,
 * host, created, version) with a member list (join order), a names hash, a ready set, an
 * attributes hash and the members' claim tokens, all on the lobby's slot (see {@link Keys}).
 * Every mutation of a lobby is one Lua script on that slot: the checks (seats, membership, host,
 * readiness) and the writes happen atomically, bump the version and return the new snapshot, so
 * a lobby never takes more members than seats whichever nodes ask.
 *
 * <p>What a lobby script cannot touch, because it lives on another slot of a Redis Cluster, is
 * written around it: the user's "one lobby per user" claim ({@code {user:ID}:lobby}, {@link
 * Claims}: taken before a join or create, committed after it, released when the user leaves, is
 * kicked or the lobby goes), the lobby count ({@code {lobbies}}, reserved before a create), the
 * join code ({@code {code:C}}, SET NX) and the mode's listing index ({@code {mode:NAME}},
 * lobby-index.lua, after the lobby's script, versioned). Why that is safe: no user is in two
 * lobbies, because a lobby seats a user only with a token of a claim that user holds, there is
 * one claim per user, and a claim moves to another lobby only once released or fenced at its old
 * one (Claims); no lobby is over its seats, because the seat check and the seat are one script
 * on the lobby's slot; a node dying between steps leaves at most a pending claim (resolved by
 * the next attempt, see Claims; a held claim whose lobby no longer records it is dropped by
 * {@link #lobbyOf}), a reserved id or join code with no lobby (the id keeps counting against the
 * cluster-wide lobby limit: a known leak, one id per such crash, see README "Redis Cluster"), or
 * a stale index entry (dropped by the next listing). Redis errors surface as {@code UNAVAILABLE}.
 */
final class RedisLobbyDirectory implements LobbyDirectory {
    /** How long a claim stays pending before another attempt asks its lobby whether it got there. */
    static final long CLAIM_PENDING_MS = 10_000;

    private static final Script RESERVE =
            new Script("if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end "
                    + "redis.call('SADD', KEYS[1], ARGV[1]) return 1");

    private final UnifiedJedis redis;
    private final Keys keys;
    private final Claims claims;
    private final int maxLobbies;
    private final LongSupplier clockMs;
    private final Script create = script("lobby-create.lua");
    private final Script join = script("lobby-join.lua");
    private final Script leave = script("lobby-leave.lua");
    private final Script ready = script("lobby-ready.lua");
    private final Script kick = script("lobby-kick.lua");
    private final Script start = script("lobby-start.lua");
    private final Script get = script("lobby-get.lua");
    private final Script restore = script("lobby-restore.lua");
    private final Script update = script("lobby-update.lua");
    private final Script fence = script("lobby-fence.lua");
    private final Script list = new Script(plain("lobby-list.lua"));
    private final Script index = new Script(plain("lobby-index.lua"));

    private final RedisStats stats;

    RedisLobbyDirectory(UnifiedJedis redis, String prefix, int maxLobbies, LongSupplier clockMs, RedisStats stats) {
        this.stats = stats;
        this.redis = redis;
        this.keys = new Keys(prefix);
        this.claims = new Claims(redis, CLAIM_PENDING_MS);
        this.maxLobbies = maxLobbies;
        this.clockMs = clockMs;
    }

    private static String plain(String name) {
        try (InputStream body = RedisLobbyDirectory.class.getResourceAsStream(name)) {
            if (body == null) {
                throw new IllegalStateException("missing Lua resource " + name);
            }
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua resource " + name, e);
        }
    }

    private static Script script(String name) {
        return new Script(plain("lobby-prelude.lua") + "\n" + plain(name));
    }

    /** A lobby script on lobby {@code id}'s slot; its ARGV start with the id. */
    private List<?> eval(Script script, String id, String... args) throws LobbyException {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(id);
        argv.addAll(List.of(args));
        return check(call(script, keys.lobby(id), argv));
    }

    private Object call(Script script, String key, List<String> argv) throws LobbyException {
        long t0 = System.nanoTime();
        try {
            Object r = script.eval(redis, List.of(key), argv);
            stats.record(t0, false);
            return r;
        } catch (JedisException e) {
            stats.record(t0, true);
            throw unavailableLobby(e);
        }
    }

    /**
     * Whether a failed script may have run anyway (the call timed out, the connection broke):
     * then nothing is undone, and the claim it used stays pending until the next attempt
     * resolves it at the lobby (Claims) — a release now could free a user the lobby did seat.
     */
    private static boolean unknownOutcome(LobbyException e) {
        return e.reason() == Reason.UNAVAILABLE && e.getMessage().startsWith(UNAVAILABLE_PREFIX);
    }

    private static final String UNAVAILABLE_PREFIX = "lobby directory unavailable: ";

    private static LobbyException unavailableLobby(JedisException e) {
        return new LobbyException(Reason.UNAVAILABLE, "lobby directory unavailable: " + e.getMessage());
    }

    private static List<?> check(Object r) throws LobbyException {
        List<?> reply = (List<?>) r;
        if ("ERR".equals(str(reply.get(0)))) {
            String reason = str(reply.get(1));
            if (reason.equals("RETRY")) {
                throw new LobbyException(Reason.UNAVAILABLE, str(reply.get(2)));
            }
            throw new LobbyException(Reason.valueOf(reason), str(reply.get(2)));
        }
        return reply;
    }

    /** Claims {@code uid}'s one lobby for {@code lobbyId}: the token to seat it with. */
    private String claim(String uid, String lobbyId) throws LobbyException {
        long t0 = System.nanoTime();
        try {
            String token = claims.claim(keys.userLobby(uid), lobbyId, (target, t) -> recorded(target, uid, t));
            stats.record(t0, false);
            return token;
        } catch (Claims.Refused r) {
            stats.record(t0, false);
            if (r.target.equals(lobbyId)) {
                throw new LobbyException(Reason.ALREADY_IN, "already in this lobby " + lobbyId);
            }
            throw new LobbyException(
                    Reason.ALREADY_IN,
                    r.inFlight ? "a join of this user is in progress" : "already in lobby " + r.target);
        } catch (JedisException e) {
            stats.record(t0, true);
            throw unavailableLobby(e);
        }
    }

    private boolean recorded(String lobbyId, String uid, String token) {
        Object r = fence.eval(redis, List.of(keys.lobby(lobbyId)), List.of(lobbyId, uid, token));
        return ((Number) r).longValue() == 1;
    }

    /** Best effort: a failed release leaves a claim the next attempt resolves (Claims). */
    private void release(String uid, String token, String lobbyId) {
        if (token == null) {
            return;
        }
        try {
            claims.release(keys.userLobby(uid), token, lobbyId);
        } catch (JedisException e) {
            // resolved by the user's next claim: its lobby no longer records the token
        }
    }

    /** A claim this attempt took and did not use: only its own token releases it. */
    private void releaseUnseated(String uid, String token) {
        if (!token.isEmpty() && !token.equals("BUSY")) {
            release(uid, token, "");
        }
    }

    /** Releases the claims of {@code flat} = {uid, token, ...}. */
    private void releaseAll(Object flat, String lobbyId) {
        List<?> l = (List<?>) flat;
        for (int i = 0; i + 1 < l.size(); i += 2) {
            release(str(l.get(i)), str(l.get(i + 1)), lobbyId);
        }
    }

    /** The mode's listing follows the lobby's snapshot (lobby-index.lua); best effort, see there. */
    private void reindex(Lobby l) {
        List<String> args = new ArrayList<>(List.of(
                l.id(),
                Long.toString(l.version()),
                "put",
                l.isPrivate() ? "1" : "0",
                Integer.toString(l.maxPlayers() - l.members().size()),
                Long.toString(l.createdAtMs())));
        addPairs(args, l.attributes());
        indexCall(l.mode(), args);
    }

    /** A removed lobby: out of the listing, the count and the join codes. */
    private void removed(Lobby last) {
        indexCall(last.mode(), List.of(last.id(), Long.toString(last.version() + 1), "del", "0", "0", "0", "0"));
        try {
            redis.srem(keys.lobbies(), last.id());
            redis.del(keys.code(last.joinCode()));
        } catch (JedisException e) {
            // a stale count entry or code: the code leads to a missing lobby (NOT_FOUND)
        }
    }

    private void indexCall(String mode, List<String> args) {
        try {
            index.eval(redis, List.of(keys.mode(mode)), args);
        } catch (JedisException e) {
            // the listing is stale until the lobby's next change; a listing drops missing lobbies
        }
    }

    private static String str(Object o) {
        return o instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(o);
    }

    /** Parses the flat state array the prelude's {@code state()} returns. */
    static Lobby lobby(List<?> s) {
        int n = Integer.parseInt(str(s.get(9)));
        List<Member> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = 10 + i * 3;
            members.add(new Member(str(s.get(at)), str(s.get(at + 1)), "1".equals(str(s.get(at + 2)))));
        }
        int at = 10 + n * 3;
        int a = Integer.parseInt(str(s.get(at)));
        Map<String, String> attributes = new HashMap<>();
        for (int i = 0; i < a; i++) {
            attributes.put(str(s.get(at + 1 + i * 2)), str(s.get(at + 2 + i * 2)));
        }
        return new Lobby(
                str(s.get(0)),
                str(s.get(1)),
                str(s.get(2)),
                Integer.parseInt(str(s.get(3))),
                "1".equals(str(s.get(4))),
                str(s.get(5)),
                str(s.get(6)),
                members,
                Long.parseLong(str(s.get(7))),
                Long.parseLong(str(s.get(8))),
                attributes);
    }

    /** {@code n, k1, v1, ...} appended to a script's arguments. */
    private static void addPairs(List<String> args, Map<String, String> pairs) {
        args.add(Integer.toString(pairs.size()));
        pairs.forEach((k, v) -> {
            args.add(k);
            args.add(v);
        });
    }

    @Override
    public Lobby create(NewLobby spec, Member host) throws LobbyException {
        for (int attempt = 0; ; attempt++) {
            String id = Ids.newId(12);
            String code = Ids.newJoinCode();
            String token = claim(host.userId(), id);
            boolean reserved = false;
            boolean coded = false;
            boolean done = false;
            boolean unknown = false;
            try {
                long t0 = System.nanoTime();
                try {
                    reserved = ((Number) RESERVE.eval(
                                            redis, List.of(keys.lobbies()), List.of(id, Integer.toString(maxLobbies))))
                                    .longValue()
                            == 1;
                    if (!reserved) {
                        throw new LobbyException(
                                Reason.LIMIT_REACHED, "the directory holds its maximum of " + maxLobbies + " lobbies");
                    }
                    coded = "OK"
                            .equals(redis.set(
                                    keys.code(code), id, SetParams.setParams().nx()));
                    stats.record(t0, false);
                } catch (JedisException e) {
                    stats.record(t0, true);
                    throw unavailableLobby(e);
                }
                if (!coded) {
                    throw new LobbyException(Reason.UNAVAILABLE, "id or join code taken");
                }
                List<String> args = new ArrayList<>(List.of(
                        spec.name(),
                        spec.mode(),
                        Integer.toString(spec.maxPlayers()),
                        spec.isPrivate() ? "1" : "0",
                        code,
                        host.userId(),
                        host.name(),
                        Long.toString(clockMs.getAsLong()),
                        token));
                addPairs(args, spec.attributes());
                Lobby l;
                try {
                    l = lobby((List<?>)
                            eval(create, id, args.toArray(String[]::new)).get(1));
                } catch (LobbyException e) {
                    unknown = unknownOutcome(e);
                    throw e;
                }
                done = true;
                reindex(l);
                commit(host.userId(), token);
                return l;
            } catch (LobbyException e) {
                // a random id or join code collided: draw again (a handful of times at most)
                if (e.reason() != Reason.UNAVAILABLE || !e.getMessage().contains("taken") || attempt >= 5) {
                    throw e;
                }
            } finally {
                if (!done && !unknown) {
                    undoCreate(host.userId(), token, reserved ? id : null, coded ? code : null);
                }
            }
        }
    }

    /** A create that did not get through: its steps so far are undone (best effort). */
    private void undoCreate(String uid, String token, String reservedId, String code) {
        try {
            if (reservedId != null) {
                redis.srem(keys.lobbies(), reservedId);
            }
            if (code != null) {
                redis.del(keys.code(code));
            }
        } catch (JedisException e) {
            // a reserved id or code with no lobby: see the class comment
        }
        releaseUnseated(uid, token);
    }

    private void commit(String uid, String token) throws LobbyException {
        try {
            claims.commit(keys.userLobby(uid), token);
        } catch (JedisException e) {
            // seated, the claim still pending: the next attempt finds the lobby records the token
            // and commits it then (Claims); the join itself is answered UNAVAILABLE, and the user
            // is a member (a retry is answered ALREADY_IN naming this lobby)
            throw unavailableLobby(e);
        }
    }

    @Override
    public Lobby join(String lobbyId, String joinCode, Member member) throws LobbyException {
        String token = claim(member.userId(), lobbyId);
        Lobby l;
        try {
            l = lobby((List<?>) eval(join, lobbyId, joinCode, member.userId(), member.name(), token)
                    .get(1));
        } catch (LobbyException e) {
            if (!unknownOutcome(e)) {
                release(member.userId(), token, lobbyId);
            }
            throw e;
        }
        reindex(l);
        commit(member.userId(), token);
        return l;
    }

    @Override
    public Optional<String> findByJoinCode(String joinCode) {
        try {
            return Optional.ofNullable(redis.get(keys.code(joinCode)));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Left leave(String lobbyId, String userId) throws LobbyException {
        List<?> r = eval(leave, lobbyId, userId);
        Lobby l = lobby((List<?>) r.get(2));
        boolean gone = "1".equals(str(r.get(1)));
        releaseAll(r.get(3), lobbyId);
        if (gone) {
            removed(l);
        } else {
            reindex(l);
        }
        return new Left(l, gone);
    }

    @Override
    public Lobby setReady(String lobbyId, String userId, boolean isReady) throws LobbyException {
        return lobby((List<?>) eval(ready, lobbyId, userId, isReady ? "1" : "0").get(1));
    }

    @Override
    public Lobby kick(String lobbyId, String hostUserId, String targetUserId) throws LobbyException {
        List<?> r = eval(kick, lobbyId, hostUserId, targetUserId);
        releaseAll(r.get(2), lobbyId);
        Lobby l = lobby((List<?>) r.get(1));
        reindex(l);
        return l;
    }

    @Override
    public Lobby start(String lobbyId, String hostUserId, int minPlayers) throws LobbyException {
        List<?> r = eval(start, lobbyId, hostUserId, Integer.toString(minPlayers));
        releaseAll(r.get(2), lobbyId);
        Lobby l = lobby((List<?>) r.get(1));
        removed(l);
        return l;
    }

    /**
     * Writes the lobby back (lobby-restore.lua), claiming each member first. It is listed again
     * only once complete: while another node's write-back of this lobby holds some members'
     * claims and has not seated them yet, that node lists it when it has (whichever write-back
     * runs last sees every member in), so a listed lobby has every member a node still holds
     * (RedisRestartIT).
     */
    @Override
    public Lobby restore(Lobby known, List<Member> localMembers) throws LobbyException {
        Set<String> busy = new java.util.HashSet<>();
        Lobby back = restoreOnce(known, localMembers, busy);
        Set<String> in = new java.util.HashSet<>();
        back.members().forEach(m -> in.add(m.userId()));
        if (in.containsAll(busy)) {
            reindex(back);
        }
        return back;
    }

    private Lobby restoreOnce(Lobby known, List<Member> localMembers, Set<String> busy) throws LobbyException {
        // claim every member this node could write back, once each (Claims); members in another
        // lobby, or being written back by another node, stay unclaimed and are not seated
        Map<String, String> tokens = new HashMap<>();
        for (Member m : known.members()) {
            tokens.computeIfAbsent(m.userId(), uid -> tryClaim(uid, known.id(), busy));
        }
        for (Member m : localMembers) {
            tokens.computeIfAbsent(m.userId(), uid -> tryClaim(uid, known.id(), busy));
        }
        List<String> args = new ArrayList<>(List.of(
                known.name(),
                known.mode(),
                Integer.toString(known.maxPlayers()),
                known.isPrivate() ? "1" : "0",
                known.joinCode(),
                known.hostUserId(),
                Long.toString(known.createdAtMs()),
                Long.toString(known.version()),
                Integer.toString(localMembers.size())));
        for (Member m : localMembers) {
            args.add(m.userId());
            args.add(m.name());
            args.add(tokens.get(m.userId()));
        }
        // the whole remembered membership, with names: the first node to write the lobby back
        // writes every member back, so none is missing while the others catch up (lobby-restore.lua)
        args.add(Integer.toString(known.members().size()));
        for (Member m : known.members()) {
            args.add(m.userId());
            args.add(m.name());
            args.add(tokens.get(m.userId()));
        }
        addPairs(args, known.attributes());
        List<?> r;
        try {
            r = eval(restore, known.id(), args.toArray(String[]::new));
        } catch (LobbyException e) {
            if (!unknownOutcome(e)) {
                tokens.forEach((uid, t) -> releaseUnseated(uid, t));
            }
            throw e;
        }
        Set<String> seated = new java.util.HashSet<>();
        ((List<?>) r.get(2)).forEach(u -> seated.add(str(u)));
        for (Map.Entry<String, String> t : tokens.entrySet()) {
            if (seated.contains(t.getKey())) {
                commit(t.getKey(), t.getValue());
            } else {
                releaseUnseated(t.getKey(), t.getValue());
            }
        }
        Lobby l = lobby((List<?>) r.get(1));
        try {
            redis.sadd(keys.lobbies(), l.id());
            redis.set(keys.code(l.joinCode()), l.id());
        } catch (JedisException e) {
            throw unavailableLobby(e);
        }
        return l;
    }

    /**
     * A claim for a write-back, or "" when the user is elsewhere or being claimed. Being claimed
     * for this same lobby (another node's write-back of it is under way) puts the user in {@code
     * busy}: worth another try once that write-back is done. Being claimed for another lobby is
     * not: the user is on the way there.
     */
    private String tryClaim(String uid, String lobbyId, Set<String> busy) {
        try {
            return claims.claim(keys.userLobby(uid), lobbyId, (target, t) -> recorded(target, uid, t));
        } catch (Claims.Refused r) {
            if (r.inFlight && r.target.equals(lobbyId)) {
                busy.add(uid);
                return "BUSY"; // lobby-restore.lua lists it as awaited by that write-back
            }
            return "";
        } catch (JedisException e) {
            return "";
        }
    }

    @Override
    public Lobby updateAttributes(String lobbyId, String hostUserId, Map<String, String> set, Set<String> remove)
            throws LobbyException {
        List<String> args = new ArrayList<>(List.of(hostUserId, Integer.toString(MAX_ATTRIBUTES)));
        addPairs(args, set);
        args.add(Integer.toString(remove.size()));
        args.addAll(remove);
        Lobby l = lobby(
                (List<?>) eval(update, lobbyId, args.toArray(String[]::new)).get(1));
        reindex(l);
        return l;
    }

    @Override
    public Optional<Lobby> get(String lobbyId) {
        try {
            return Optional.of(lobby((List<?>) eval(get, lobbyId).get(1)));
        } catch (LobbyException e) {
            if (e.reason() == Reason.UNAVAILABLE) {
                throw new ClusterUnavailableException(e.getMessage(), e);
            }
            return Optional.empty();
        }
    }

    /**
     * The lobby the user's held claim names, checked against that lobby's own record: a claim
     * whose lobby no longer records its token (a leave or a removal whose answer was lost to a
     * timeout, so its release never ran) is stale, is released here, and names no lobby. Two
     * calls (the user's slot, then the lobby's).
     */
    @Override
    public Optional<String> lobbyOf(String userId) {
        String key = keys.userLobby(userId);
        try {
            List<String> c = redis.hmget(key, "target", "token", "held");
            if (!"1".equals(c.get(2))) {
                return Optional.empty();
            }
            Object recorded = RECORDS.eval(redis, List.of(keys.lobby(c.get(0))), List.of(userId, c.get(1)));
            if (((Number) recorded).longValue() == 1) {
                return Optional.of(c.get(0));
            }
            claims.release(key, c.get(1), "");
            return Optional.empty();
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** KEYS[1]: a lobby. 1 when it records token ARGV[2] for user ARGV[1] (read only). */
    private static final Script RECORDS =
            new Script("if redis.call('HGET', KEYS[1] .. ':tokens', ARGV[1]) == ARGV[2] then return 1 end return 0");

    /**
     * One page: the ids from the mode's index (one script on the mode's slot), then every lobby
     * read on its own slot, in one pipeline (on a cluster, one batch per master). A listed id
     * whose lobby is gone is dropped from the page and from the index.
     */
    @Override
    public LobbyPage list(String mode, Order order, Map<String, String> filter, int offset, int limit) {
        try {
            List<String> args = new ArrayList<>(List.of(
                    order == Order.FILL ? "fill" : "newest", Integer.toString(offset), Integer.toString(limit)));
            addPairs(args, filter);
            List<?> r = check(call(list, keys.mode(mode), args));
            List<String> ids = new ArrayList<>();
            for (int i = 2; i < r.size(); i++) {
                ids.add(str(r.get(i)));
            }
            List<Lobby> lobbies = new ArrayList<>(ids.size());
            if (!ids.isEmpty()) {
                List<Response<Object>> states = new ArrayList<>(ids.size());
                long t0 = System.nanoTime();
                List<Object> read = new ArrayList<>(ids.size());
                try {
                    try (AbstractPipeline p = redis.pipelined()) {
                        for (String id : ids) {
                            states.add(p.evalsha(get.sha, List.of(keys.lobby(id)), List.of(id)));
                        }
                        p.sync();
                    }
                    for (Response<Object> st : states) {
                        read.add(st.get());
                    }
                } catch (redis.clients.jedis.exceptions.JedisNoScriptException e) {
                    // a master without the script yet: read this page one by one (each EVAL caches it)
                    read.clear();
                    for (String id : ids) {
                        read.add(get.eval(redis, List.of(keys.lobby(id)), List.of(id)));
                    }
                } catch (JedisException e) {
                    stats.record(t0, true);
                    throw unavailableLobby(e);
                }
                stats.record(t0, false);
                for (int i = 0; i < ids.size(); i++) {
                    List<?> s = (List<?>) read.get(i);
                    if ("OK".equals(str(s.get(0)))) {
                        lobbies.add(lobby((List<?>) s.get(1)));
                    } else {
                        indexCall(mode, List.of(ids.get(i), "0", "gone", "0", "0", "0", "0"));
                    }
                }
            }
            return new LobbyPage(lobbies, Integer.parseInt(str(r.get(1))));
        } catch (LobbyException e) {
            throw new ClusterUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public int count() {
        try {
            return (int) redis.scard(keys.lobbies());
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    /** The lobbies are shared, not this node's: 0. */
    @Override
    public int localLobbies() {
        return 0;
    }

    @Override
    public int localMembers() {
        return 0;
    }

    private static ClusterUnavailableException unavailable(JedisException e) {
        return new ClusterUnavailableException("lobby directory unavailable: " + e.getMessage(), e);
    }
}
