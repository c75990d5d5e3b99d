package com.example.tug;

import com.google.protobuf.ByteString;
import io.tickroom.server.match.MatchContext;
import io.tickroom.server.match.MatchLogic;
import io.tickroom.server.match.Player;
import io.tickroom.server.match.Result;
import java.util.ArrayList;
import java.util.List;

/** Tug of war: even seats pull left, odd seats right, one input is one pull. */
public final class TugGame implements MatchLogic {
    private int rope;          // below 0: the left team is winning
    private int length = 10;   // the lobby attribute "rope" sets it
    private int[] pulls;

    @Override
    public void onStart(MatchContext ctx, List<Player> players) {
        pulls = new int[ctx.mode().maxPlayers()];
        try {
            length = Math.max(1, Math.min(100, Integer.parseInt(ctx.settings().getOrDefault("rope", "10"))));
        } catch (NumberFormatException e) {
            length = 10; // the host typed it: never trust it
        }
    }

    @Override
    public void onInput(MatchContext ctx, Player player, long clientTick, ByteString payload) {
        rope += player.seat() % 2 == 0 ? -1 : 1;
        pulls[player.seat()]++;
    }

    @Override
    public void onTick(MatchContext ctx, long tick) {
        ctx.broadcastSnapshot(ByteString.copyFromUtf8("rope " + rope + " of " + length));
        if (Math.abs(rope) >= length) {
            int winners = rope < 0 ? 0 : 1;
            List<Result> results = new ArrayList<>();
            for (Player p : ctx.players()) {
                results.add(new Result(p.userId(), pulls[p.seat()], p.seat() % 2 == winners ? 1 : 2));
            }
            ctx.end(winners == 0 ? "left team won" : "right team won", results);
        }
    }
}
