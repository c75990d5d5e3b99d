package io.tickroom.server.arena;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.v1.arena.ArenaInput;
import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.MatchContext;
import io.tickroom.server.match.MatchLogic;
import io.tickroom.server.match.Player;
import io.tickroom.server.match.Result;
import java.util.ArrayList;
import java.util.List;

/**
 * Arena: a square field {@value #FIELD} units wide; each player moves at up to {@value #SPEED}
 * units/s in the direction of its latest input (each axis clamped to -1..1). Every tick the game
 * moves everyone and broadcasts the full snapshot (so a player who reconnects has the whole
 * state on the next tick). Score: ticks spent moving. The match ends after its duration with
 * players ranked by score.
 */
public final class ArenaGame implements MatchLogic {
    public static final float FIELD = 100f;
    public static final float SPEED = 20f;

    private final long durationTicks;
    private float[] x;
    private float[] y;
    private float[] dx;
    private float[] dy;
    private int[] score;
    private long[] lastInputClientMs;
    private boolean[] present;
    /** Each seat's user id as snapshots carry it, encoded once (not per tick), and whose it is. */
    private com.google.protobuf.ByteString[] userIds;

    private String[] userIdsOf;

    private SnapshotWriter writer;
    private long startTick = -1;
    private float dtSeconds;

    public ArenaGame(long durationTicks) {
        this.durationTicks = durationTicks;
    }

    /** The modes the server ships with ({@link ArenaModes} serves them); tests register their own beside them. */
    public static List<GameMode> standardModes() {
        return List.of(
                mode("arena", 2, 16, 4, 120),
                mode("arena-duel", 2, 2, 2, 120),
                mode("arena-8", 2, 8, 8, 120),
                // short matches for bot swarms and soak tests
                mode("arena-sprint", 2, 4, 2, 10),
                // a social hub: big lobbies for chat (lobby size still capped by --max-lobby-players)
                mode("lounge", 2, 4096, 2, 120));
    }

    public static GameMode mode(String name, int min, int max, int quick, int durationSeconds) {
        return GameMode.of(name, min, max, quick, () -> new ArenaGame(durationSeconds * 20L));
    }

    @Override
    public void onJoin(MatchContext ctx, Player player) {
        ensure(ctx);
        present[player.seat()] = true;
    }

    @Override
    public void onStart(MatchContext ctx, List<Player> players) {
        ensure(ctx);
        int n = Math.max(1, ctx.mode().maxPlayers());
        for (Player p : players) {
            double angle = 2 * Math.PI * p.seat() / n;
            x[p.seat()] = (float) (FIELD / 2 + FIELD / 3 * Math.cos(angle));
            y[p.seat()] = (float) (FIELD / 2 + FIELD / 3 * Math.sin(angle));
            present[p.seat()] = true;
        }
    }

    private void ensure(MatchContext ctx) {
        if (x == null) {
            int seats = ctx.mode().maxPlayers();
            x = new float[seats];
            y = new float[seats];
            dx = new float[seats];
            dy = new float[seats];
            score = new int[seats];
            lastInputClientMs = new long[seats];
            present = new boolean[seats];
            userIds = new com.google.protobuf.ByteString[seats];
            userIdsOf = new String[seats];
            writer = new SnapshotWriter(seats);
            dtSeconds = 1f / ctx.mode().tickRateHz();
        }
    }

    private com.google.protobuf.ByteString userId(Player p) {
        int s = p.seat();
        if (!p.userId().equals(userIdsOf[s])) { // the seat's first snapshot, or it changed hands
            userIdsOf[s] = p.userId();
            userIds[s] = com.google.protobuf.ByteString.copyFromUtf8(p.userId());
        }
        return userIds[s];
    }

    @Override
    public void onDisconnect(MatchContext ctx, Player player) {
        dx[player.seat()] = 0;
        dy[player.seat()] = 0;
    }

    @Override
    public void onLeave(MatchContext ctx, Player player) {
        present[player.seat()] = false;
        dx[player.seat()] = 0;
        dy[player.seat()] = 0;
    }

    @Override
    public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {
        ArenaInput in;
        try {
            in = ArenaInput.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            return; // a bad input is ignored; the player keeps its last direction
        }
        int s = player.seat();
        dx[s] = clamp(in.getDx());
        dy[s] = clamp(in.getDy());
        lastInputClientMs[s] = in.getClientTimeMs();
    }

    private static float clamp(float v) {
        return Float.isNaN(v) ? 0 : Math.max(-1f, Math.min(1f, v));
    }

    @Override
    public void onTick(MatchContext ctx, long tick) {
        if (startTick < 0) {
            startTick = tick;
        }
        long nowUs = ctx.nowMicros();
        SnapshotWriter snap = writer.clear();
        for (Player p : ctx.players()) {
            int s = p.seat();
            if (!present[s]) {
                continue;
            }
            if (dx[s] != 0 || dy[s] != 0) {
                x[s] = Math.max(0, Math.min(FIELD, x[s] + dx[s] * SPEED * dtSeconds));
                y[s] = Math.max(0, Math.min(FIELD, y[s] + dy[s] * SPEED * dtSeconds));
                score[s]++;
            }
            snap.player(userId(p), x[s], y[s], ctx.isConnected(p), score[s], lastInputClientMs[s]);
        }
        ctx.broadcastSnapshot(snap.write(tick, nowUs / 1000, nowUs));
        if (tick - startTick + 1 >= durationTicks) {
            List<Player> ranked = new ArrayList<>(ctx.players());
            ranked.sort((a, b) -> Integer.compare(score[b.seat()], score[a.seat()]));
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < ranked.size(); i++) {
                results.add(
                        new Result(ranked.get(i).userId(), score[ranked.get(i).seat()], i + 1));
            }
            ctx.end("time up", results);
        }
    }
}
