package io.tickroom.bots;

import com.google.protobuf.ByteString;
import io.tickroom.client.TickroomClient;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.arena.ArenaInput;

/**
 * Playing arena: once the client has claimed its seat, send an input every 1/inputHz seconds
 * (a random walk, stamped with the client time) until {@code match_ended}, then call {@code next}.
 */
final class Play {
    private Play() {}

    /** Wires the match listeners of a fresh client; {@code next} runs after each match ends. */
    static void wire(Bot bot, Runnable next) {
        TickroomClient c = bot.client();
        c.onMatchJoined(link -> {
            bot.metrics.inMatch.incrementAndGet();
            bot.resetSnapshotClock();
            if (bot.config.inputHz() > 0) {
                sendInputs(bot, link, 1000L / bot.config.inputHz());
            }
        });
        c.on(ServerFrame.BodyCase.MATCH_ENDED, f -> {
            TickroomClient.MatchLink link = c.match();
            if (link != null && link.matchId().equals(f.getMatchEnded().getMatchId())) {
                link.done();
                bot.metrics.inMatch.decrementAndGet();
                bot.metrics.matchesPlayed.increment();
                bot.later(100 + bot.random.nextInt(400), next);
            }
        });
    }

    private static void sendInputs(Bot bot, TickroomClient.MatchLink link, long periodMs) {
        bot.later(periodMs, () -> {
            if (bot.client().match() != link) {
                return;
            }
            ByteString input = ArenaInput.newBuilder()
                    .setDx(bot.random.nextFloat() * 2 - 1)
                    .setDy(bot.random.nextFloat() * 2 - 1)
                    .setClientTimeMs(System.currentTimeMillis())
                    .build()
                    .toByteString();
            link.input(0, input);
            sendInputs(bot, link, periodMs);
        });
    }
}
