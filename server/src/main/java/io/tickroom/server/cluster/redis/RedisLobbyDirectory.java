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
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The lobby directory in Redis, shared by every node.
 *
 * <p>Design note. A lobby is a hash ({@code lobby:{id}}: name, mode, seats, privacy, join code,
 * host, created, version) with a member list (join order), a names hash and a ready set; a user
 * index ({@code user:{uid}:lobby}) keeps a user in one lobby; join codes map to ids; public
 * lobbies are in two sorted sets per mode, by creation time and by fill, so a listing is one
 * range read (no KEYS, no SCAN). Attributes are a hash per lobby ({@code lobby:{id}:attrs}) and,
 * for public lobbies, a set of ids per (mode, key, value) ({@code attr:{mode}:{key}={value}});
 * a filtered listing intersects the mode's sorted set with the filter's sets (ZINTER, at most
 * {@value LobbyDirectory#MAX_FILTER_KEYS} of them) inside the list script. Every mutation is one Lua script: the checks (seats, membership,
 * host, readiness) and the writes happen atomically, bump the version and return the new
 * snapshot, so a lobby never takes more members than seats whichever nodes ask. The scripts
 * build their keys from a prefix, which is fine on a single Redis (or a primary with replicas)
 * and not meant for Redis Cluster. Redis errors surface as {@code UNAVAILABLE}.
 */
final class RedisLobbyDirectory implements LobbyDirectory {
    private final UnifiedJedis redis;
    private final String prefix;
    private final int maxLobbies;
    private final LongSupplier clockMs;
    private final String create = script("lobby-create.lua");
    private final String join = script("lobby-join.lua");
    private final String leave = script("lobby-leave.lua");
    private final String ready = script("lobby-ready.lua");
    private final String kick = script("lobby-kick.lua");
    private final String start = script("lobby-start.lua");
    private final String list = script("lobby-list.lua");
    private final String get = script("lobby-get.lua");
    private final String restore = script("lobby-restore.lua");
    private final String update = script("lobby-update.lua");

    private final RedisStats stats;

    RedisLobbyDirectory(UnifiedJedis redis, String prefix, int maxLobbies, LongSupplier clockMs, RedisStats stats) {
        this.stats = stats;
        this.redis = redis;
        this.prefix = prefix;
        this.maxLobbies = maxLobbies;
        this.clockMs = clockMs;
    }

    private static String script(String name) {
        try (InputStream prelude = RedisLobbyDirectory.class.getResourceAsStream("lobby-prelude.lua");
                InputStream body = RedisLobbyDirectory.class.getResourceAsStream(name)) {
            if (prelude == null || body == null) {
                throw new IllegalStateException("missing Lua resource " + name);
            }
            return new String(prelude.readAllBytes(), StandardCharsets.UTF_8) + "\n"
                    + new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Lua resource " + name, e);
        }
    }

    private List<?> eval(String script, String... args) throws LobbyException {
        List<String> argv = new ArrayList<>(args.length + 1);
        argv.add(prefix);
        argv.addAll(List.of(args));
        Object r;
        long t0 = System.nanoTime();
        try {
            r = redis.eval(script, List.of(), argv);
            stats.record(t0, false);
        } catch (JedisException e) {
            stats.record(t0, true);
            throw new LobbyException(Reason.UNAVAILABLE, "lobby directory unavailable: " + e.getMessage());
        }
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
            try {
                List<String> args = new ArrayList<>(List.of(
                        Ids.newId(12),
                        spec.name(),
                        spec.mode(),
                        Integer.toString(spec.maxPlayers()),
                        spec.isPrivate() ? "1" : "0",
                        Ids.newJoinCode(),
                        host.userId(),
                        host.name(),
                        Long.toString(clockMs.getAsLong()),
                        Integer.toString(maxLobbies)));
                addPairs(args, spec.attributes());
                List<?> r = eval(create, args.toArray(String[]::new));
                return lobby((List<?>) r.get(1));
            } catch (LobbyException e) {
                // a random id or join code collided: draw again (a handful of times at most)
                if (e.reason() != Reason.UNAVAILABLE || !e.getMessage().contains("taken") || attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    @Override
    public Lobby join(String lobbyId, String joinCode, Member member) throws LobbyException {
        return lobby((List<?>)
                eval(join, lobbyId, joinCode, member.userId(), member.name()).get(1));
    }

    @Override
    public Optional<String> findByJoinCode(String joinCode) {
        try {
            return Optional.ofNullable(redis.get(prefix + "code:" + joinCode));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Left leave(String lobbyId, String userId) throws LobbyException {
        List<?> r = eval(leave, lobbyId, userId);
        return new Left(lobby((List<?>) r.get(2)), "1".equals(str(r.get(1))));
    }

    @Override
    public Lobby setReady(String lobbyId, String userId, boolean isReady) throws LobbyException {
        return lobby((List<?>) eval(ready, lobbyId, userId, isReady ? "1" : "0").get(1));
    }

    @Override
    public Lobby kick(String lobbyId, String hostUserId, String targetUserId) throws LobbyException {
        return lobby((List<?>) eval(kick, lobbyId, hostUserId, targetUserId).get(1));
    }

    @Override
    public Lobby start(String lobbyId, String hostUserId, int minPlayers) throws LobbyException {
        return lobby((List<?>)
                eval(start, lobbyId, hostUserId, Integer.toString(minPlayers)).get(1));
    }

    @Override
    public Lobby restore(Lobby known, List<Member> localMembers) throws LobbyException {
        List<String> args = new ArrayList<>(List.of(
                known.id(),
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
        }
        // the whole remembered membership, with names: the first node to write the lobby back
        // writes every member back, so none is missing while the others catch up (lobby-restore.lua)
        args.add(Integer.toString(known.members().size()));
        for (Member m : known.members()) {
            args.add(m.userId());
            args.add(m.name());
        }
        addPairs(args, known.attributes());
        return lobby((List<?>) eval(restore, args.toArray(String[]::new)).get(1));
    }

    @Override
    public Lobby updateAttributes(String lobbyId, String hostUserId, Map<String, String> set, Set<String> remove)
            throws LobbyException {
        List<String> args = new ArrayList<>(List.of(lobbyId, hostUserId, Integer.toString(MAX_ATTRIBUTES)));
        addPairs(args, set);
        args.add(Integer.toString(remove.size()));
        args.addAll(remove);
        return lobby((List<?>) eval(update, args.toArray(String[]::new)).get(1));
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

    @Override
    public Optional<String> lobbyOf(String userId) {
        try {
            return Optional.ofNullable(redis.get(prefix + "user:" + userId + ":lobby"));
        } catch (JedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public LobbyPage list(String mode, Order order, Map<String, String> filter, int offset, int limit) {
        try {
            List<String> args = new ArrayList<>(List.of(
                    mode, order == Order.FILL ? "fill" : "newest", Integer.toString(offset), Integer.toString(limit)));
            addPairs(args, filter);
            List<?> r = eval(list, args.toArray(String[]::new));
            List<Lobby> lobbies = new ArrayList<>();
            for (int i = 2; i < r.size(); i++) {
                lobbies.add(lobby((List<?>) r.get(i)));
            }
            return new LobbyPage(lobbies, Integer.parseInt(str(r.get(1))));
        } catch (LobbyException e) {
            throw new ClusterUnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public int count() {
        try {
            return (int) redis.scard(prefix + "lobbies");
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
