package io.tickroom.bots;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.QuickMatch;
import java.util.Set;

/** Queue for a quick match, play it, queue again. */
final class QuickMatchScenario implements Scenario {
    @Override
    public void start(Bot bot) {
        Play.wire(bot, () -> queue(bot));
        queue(bot);
    }

    private void queue(Bot bot) {
        bot.request(
                        ClientFrame.newBuilder()
                                .setQuickMatch(QuickMatch.newBuilder().setMode(bot.config.mode())),
                        Set.of())
                .exceptionally(e -> {
                    bot.later(1_000, () -> queue(bot));
                    return null;
                });
    }
}
