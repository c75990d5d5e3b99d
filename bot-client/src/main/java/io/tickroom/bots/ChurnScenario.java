package io.tickroom.bots;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.Ping;
import java.util.Set;

/** Connect, browse, ping, disconnect, pause, repeat: the connection life cycle under load. */
final class ChurnScenario implements Scenario {
    @Override
    public void start(Bot bot) {
        cycle(bot);
    }

    private void cycle(Bot bot) {
        bot.request(
                        ClientFrame.newBuilder()
                                .setListLobbies(ListLobbies.newBuilder().setMode(bot.config.mode())),
                        Set.of())
                .thenCompose(r -> bot.request(
                        ClientFrame.newBuilder().setPing(Ping.newBuilder().setClientTimeMs(System.currentTimeMillis())),
                        Set.of()))
                .whenComplete((r, e) -> {
                    bot.client().close();
                    bot.metrics.connected.decrementAndGet();
                    bot.metrics.closed(1000);
                    bot.later(
                            200 + bot.random.nextInt(800),
                            () -> bot.connect().thenAccept(c -> cycle(bot)).exceptionally(err -> {
                                if (!bot.stopped) {
                                    bot.metrics.failure("connect");
                                }
                                return null;
                            }));
                });
    }
}
