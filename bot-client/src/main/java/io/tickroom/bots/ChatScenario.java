package io.tickroom.bots;

import io.tickroom.client.ConnectionListener;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.SendChat;
import java.util.EnumSet;
import java.util.Set;

/**
 * Sustained lobby chat: each bot joins (or creates) a lobby of {@code --lobby-size} seats (16;
 * mode "lounge" when bigger) and chats at the configured rate; every line fans out to the lobby. With {@code storm}, halfway through the run every bot
 * drops its connection at the same moment; the library reconnects with backoff and the bot finds
 * a lobby again.
 */
final class ChatScenario implements Scenario {
    private static final Set<ErrorCode> RACES = EnumSet.of(ErrorCode.FULL, ErrorCode.NOT_FOUND, ErrorCode.ALREADY_IN);
    private static final Set<ErrorCode> CHAT_RACES = EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMITED);
    private final boolean storm;

    ChatScenario(boolean storm) {
        this.storm = storm;
    }

    private static final class State {
        volatile String lobbyId;
        volatile long generation;
    }

    @Override
    public void start(Bot bot) {
        State st = new State();
        bot.client().onConnection(new ConnectionListener() {
            @Override
            public void disconnected(int code, String reason) {
                if (st.lobbyId != null) {
                    st.lobbyId = null;
                    bot.metrics.inLobby.decrementAndGet();
                }
                st.generation++;
            }

            @Override
            public void reconnected(int attempts) {
                find(bot, st);
            }
        });
        find(bot, st);
        if (storm) {
            long at = bot.config.durationMs() / 2 - (long) bot.index * bot.config.rampUpMs() / bot.config.bots();
            bot.later(Math.max(1_000, at), bot::dropConnection);
        }
    }

    private void find(Bot bot, State st) {
        long gen = st.generation;
        String chatMode = bot.config.lobbySize() > 16 ? "lounge" : "arena";
        bot.request(
                        ClientFrame.newBuilder()
                                .setListLobbies(ListLobbies.newBuilder()
                                        .setMode(chatMode)
                                        .setOrder(LobbyOrder.LOBBY_ORDER_FILL)
                                        .setPageSize(10)),
                        Set.of())
                .thenAccept(reply -> {
                    var open = reply.getLobbyList().getLobbiesList().stream()
                            .filter(l -> l.getPlayers() < l.getMaxPlayers())
                            .findFirst();
                    ClientFrame.Builder req = open.isPresent()
                            ? ClientFrame.newBuilder()
                                    .setJoinLobby(JoinLobby.newBuilder()
                                            .setLobbyId(open.get().getLobbyId()))
                            : ClientFrame.newBuilder()
                                    .setCreateLobby(CreateLobby.newBuilder()
                                            .setName("chat " + bot.index)
                                            .setMode(chatMode)
                                            .setMaxPlayers(bot.config.lobbySize()));
                    bot.request(req, RACES).thenAccept(r -> {
                        if (r.hasLobbyState() && gen == st.generation) {
                            st.lobbyId = r.getLobbyState().getLobbyId();
                            bot.metrics.inLobby.incrementAndGet();
                            chat(bot, st, gen);
                        } else if (gen == st.generation) {
                            // ALREADY_IN: the user still holds a seat elsewhere (a match's reconnect grace)
                            long wait = r.hasError() && r.getError().getCode() == ErrorCode.ALREADY_IN ? 2_000 : 100;
                            bot.later(wait + bot.random.nextInt(300), () -> find(bot, st));
                        }
                    });
                })
                .exceptionally(e -> null);
    }

    private void chat(Bot bot, State st, long gen) {
        long periodMs = (long) (1000 / bot.config.chatPerSecond());
        chatEvery(bot, st, gen, periodMs, bot.random.nextLong(periodMs));
    }

    /** The first line after a random part of the period, then one per period: a steady aggregate rate. */
    private void chatEvery(Bot bot, State st, long gen, long periodMs, long delayMs) {
        bot.later(delayMs, () -> {
            String lobby = st.lobbyId;
            if (lobby == null || gen != st.generation) {
                return;
            }
            bot.request(
                            ClientFrame.newBuilder()
                                    .setSendChat(SendChat.newBuilder()
                                            .setLobbyId(lobby)
                                            .setText("line from " + bot.userId)),
                            CHAT_RACES)
                    .exceptionally(e -> null);
            chatEvery(bot, st, gen, periodMs, periodMs);
        });
    }
}
