package io.tickroom.server.testing;

import com.google.protobuf.ByteString;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.JoinMatch;
import io.tickroom.protocol.v1.MatchInput;
import io.tickroom.protocol.v1.QuickMatch;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.StartMatch;
import io.tickroom.protocol.v1.arena.ArenaInput;
import io.tickroom.protocol.v1.arena.ArenaPlayer;
import io.tickroom.protocol.v1.arena.ArenaSnapshot;
import io.tickroom.server.arena.ArenaGame;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModes;
import io.tickroom.server.match.MatchContext;
import io.tickroom.server.match.MatchLogic;
import io.tickroom.server.match.Player;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Game modes and frames for match tests. */
public final class Games {
    private Games() {}

    /** Short arena matches and quick-match modes of 2, 4 and 8, plus a game that fails on purpose. */
    public static GameModes testModes() {
        List<GameMode> modes = new ArrayList<>(ArenaGame.standardModes());
        modes.add(ArenaGame.mode("arena-short", 2, 8, 2, 2));
        modes.add(ArenaGame.mode("qm-2", 2, 2, 2, 2));
        modes.add(ArenaGame.mode("qm-4", 2, 4, 4, 2));
        modes.add(ArenaGame.mode("qm-8", 2, 8, 8, 2));
        // reconnect tests: a long match, a short grace
        modes.add(ArenaGame.mode("grace", 2, 2, 2, 600).withTiming(20, 15_000, 1_500, true));
        // seats that go unclaimed: 600 ms reservation, start short-handed
        modes.add(ArenaGame.mode("short-ttl", 1, 2, 2, 600).withTiming(20, 600, 30_000, true));
        modes.add(ArenaGame.mode("strict-ttl", 2, 2, 2, 600).withTiming(20, 600, 30_000, false));
        modes.add(GameMode.of("boom", 2, 2, 2, () -> new Boom(10)));
        modes.add(new GameMode("slow-inbox", 1, 1, 2, 2, 15_000, 500, true, 16, () -> new ArenaGame(600)));
        // lobbies only (no quick match); every snapshot is the match's settings, "k=v,k=v" sorted
        modes.add(GameMode.of("settings", 1, 4, 0, Settings::new));
        return new GameModes(modes);
    }

    /** Broadcasts the match's settings (the lobby's attributes) as text on every tick. */
    public static final class Settings implements MatchLogic {
        private String text = "not started";

        @Override
        public void onStart(MatchContext ctx, List<Player> players) {
            StringBuilder b = new StringBuilder();
            new java.util.TreeMap<>(ctx.settings())
                    .forEach((k, v) -> b.append(b.length() == 0 ? "" : ",")
                            .append(k)
                            .append('=')
                            .append(v));
            text = b.toString();
        }

        @Override
        public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {}

        @Override
        public void onTick(MatchContext ctx, long tick) {
            ctx.broadcastSnapshot(ByteString.copyFromUtf8(text));
        }
    }

    /** A game that throws on a given tick after it started. */
    public static final class Boom implements MatchLogic {
        private final long failAfterTicks;
        private long started = -1;

        public Boom(long failAfterTicks) {
            this.failAfterTicks = failAfterTicks;
        }

        @Override
        public void onStart(MatchContext ctx, List<Player> players) {}

        @Override
        public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {}

        @Override
        public void onTick(MatchContext ctx, long tick) {
            if (started < 0) {
                started = tick;
            }
            ctx.broadcastSnapshot(ByteString.copyFromUtf8("tick " + tick));
            if (tick - started >= failAfterTicks) {
                throw new IllegalStateException("boom on purpose");
            }
        }
    }

    public static ClientFrame.Builder start(String lobbyId) {
        return ClientFrame.newBuilder().setStartMatch(StartMatch.newBuilder().setLobbyId(lobbyId));
    }

    public static ClientFrame.Builder claim(String seatToken) {
        return ClientFrame.newBuilder().setJoinMatch(JoinMatch.newBuilder().setSeatToken(seatToken));
    }

    public static ClientFrame.Builder quick(String mode) {
        return ClientFrame.newBuilder().setQuickMatch(QuickMatch.newBuilder().setMode(mode));
    }

    public static ClientFrame.Builder move(String matchId, float dx, float dy) {
        return ClientFrame.newBuilder()
                .setMatchInput(MatchInput.newBuilder()
                        .setMatchId(matchId)
                        .setPayload(ArenaInput.newBuilder()
                                .setDx(dx)
                                .setDy(dy)
                                .setClientTimeMs(System.currentTimeMillis())
                                .build()
                                .toByteString()));
    }

    public static ArenaSnapshot arena(ServerFrame f) {
        try {
            return ArenaSnapshot.parseFrom(f.getMatchSnapshot().getPayload());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static Optional<ArenaPlayer> player(ArenaSnapshot s, String userId) {
        return s.getPlayersList().stream()
                .filter(p -> p.getUserId().equals(userId))
                .findFirst();
    }

    /**
     * The first player creates a lobby of {@code mode} sized for everyone, the others join, all
     * ready up, the first starts it; returns each player's {@code match_found}, in order.
     */
    public static List<io.tickroom.protocol.v1.MatchFound> startFromLobby(String mode, List<TestClient> players)
            throws Exception {
        var create = Req.create(mode + " lobby", players.size(), false);
        create.getCreateLobbyBuilder().setMode(mode);
        String id = players.get(0).request(create).getLobbyState().getLobbyId();
        for (TestClient p : players.subList(1, players.size())) {
            if (!p.request(Req.join(id)).hasLobbyState()) {
                throw new AssertionError("join failed");
            }
        }
        for (TestClient p : players) {
            if (!p.request(Req.ready(id, true)).hasOk()) {
                throw new AssertionError("ready failed");
            }
        }
        ServerFrame started = players.get(0).request(start(id));
        if (!started.hasOk()) {
            throw new AssertionError("start failed: " + started);
        }
        List<io.tickroom.protocol.v1.MatchFound> found = new ArrayList<>();
        for (TestClient p : players) {
            found.add(p.awaitPush(ServerFrame::hasMatchFound).getMatchFound());
        }
        return found;
    }
}
