package io.tickroom.bots;

import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.CreateLobby;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.JoinLobby;
import io.tickroom.protocol.v1.LeaveLobby;
import io.tickroom.protocol.v1.ListLobbies;
import io.tickroom.protocol.v1.LobbyMember;
import io.tickroom.protocol.v1.LobbyOrder;
import io.tickroom.protocol.v1.LobbyState;
import io.tickroom.protocol.v1.SendChat;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.SetReady;
import io.tickroom.protocol.v1.StartMatch;
import java.util.EnumSet;
import java.util.Set;

/**
 * The lobby life: browse (fullest first), join one with a free seat or create one, say hello,
 * ready up; the host starts the match once at least two members are ready; play arena; repeat.
 * A lobby that does not start within 8 s is left and the bot browses again.
 */
final class LobbyScenario implements Scenario {
    private static final Set<ErrorCode> JOIN_RACES = EnumSet.of(ErrorCode.FULL, ErrorCode.NOT_FOUND);
    private static final Set<ErrorCode> START_RACES =
            EnumSet.of(ErrorCode.NOT_READY, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND);
    private static final Set<ErrorCode> MEMBER_RACES = EnumSet.of(ErrorCode.NOT_FOUND, ErrorCode.RATE_LIMITED);

    /** One bot's lobby state. */
    private static final class State {
        String lobbyId;
        boolean starting;
        long generation;
    }

    @Override
    public void start(Bot bot) {
        State st = new State();
        Play.wire(bot, () -> browse(bot, st));
        bot.client().on(ServerFrame.BodyCase.LOBBY_STATE, f -> lobbyChanged(bot, st, f.getLobbyState()));
        bot.client().on(ServerFrame.BodyCase.LOBBY_LEFT, f -> {
            synchronized (st) {
                if (f.getLobbyLeft().getLobbyId().equals(st.lobbyId)) {
                    st.lobbyId = null;
                    bot.metrics.inLobby.decrementAndGet();
                }
            }
        });
        browse(bot, st);
    }

    private void browse(Bot bot, State st) {
        bot.request(
                        ClientFrame.newBuilder()
                                .setListLobbies(ListLobbies.newBuilder()
                                        .setMode(bot.config.mode())
                                        .setOrder(LobbyOrder.LOBBY_ORDER_FILL)
                                        .setPageSize(20)),
                        Set.of())
                .thenAccept(reply -> {
                    var open = reply.getLobbyList().getLobbiesList().stream()
                            .filter(l -> l.getPlayers() < l.getMaxPlayers())
                            .findFirst();
                    if (open.isPresent()) {
                        bot.request(
                                        ClientFrame.newBuilder()
                                                .setJoinLobby(JoinLobby.newBuilder()
                                                        .setLobbyId(open.get().getLobbyId())),
                                        JOIN_RACES)
                                .thenAccept(r -> entered(bot, st, r));
                    } else {
                        create(bot, st);
                    }
                })
                .exceptionally(e -> retry(bot, st));
    }

    private void create(Bot bot, State st) {
        bot.request(
                        ClientFrame.newBuilder()
                                .setCreateLobby(CreateLobby.newBuilder()
                                        .setName("bots " + bot.index)
                                        .setMode(bot.config.mode())
                                        .setMaxPlayers(4)),
                        Set.of())
                .thenAccept(r -> entered(bot, st, r))
                .exceptionally(e -> retry(bot, st));
    }

    private Void retry(Bot bot, State st) {
        bot.later(500 + bot.random.nextInt(500), () -> browse(bot, st));
        return null;
    }

    private void entered(Bot bot, State st, ServerFrame reply) {
        if (!reply.hasLobbyState()) {
            bot.later(50 + bot.random.nextInt(200), () -> browse(bot, st));
            return;
        }
        String id = reply.getLobbyState().getLobbyId();
        long gen;
        synchronized (st) {
            st.lobbyId = id;
            st.starting = false;
            gen = ++st.generation;
        }
        bot.metrics.inLobby.incrementAndGet();
        bot.request(
                ClientFrame.newBuilder()
                        .setSendChat(SendChat.newBuilder().setLobbyId(id).setText("hi from " + bot.userId)),
                MEMBER_RACES);
        bot.request(
                ClientFrame.newBuilder()
                        .setSetReady(SetReady.newBuilder().setLobbyId(id).setReady(true)),
                MEMBER_RACES);
        bot.later(8_000, () -> {
            synchronized (st) {
                if (st.generation != gen || st.lobbyId == null) {
                    return;
                }
            }
            bot.request(
                            ClientFrame.newBuilder()
                                    .setLeaveLobby(LeaveLobby.newBuilder().setLobbyId(id)),
                            MEMBER_RACES)
                    .whenComplete((r, e) -> bot.later(100, () -> browse(bot, st)));
        });
    }

    private void lobbyChanged(Bot bot, State st, LobbyState s) {
        boolean start;
        synchronized (st) {
            start = s.getLobbyId().equals(st.lobbyId)
                    && !st.starting
                    && s.getHostUserId().equals(bot.userId)
                    && s.getMembersCount() >= 2
                    && s.getMembersList().stream().allMatch(LobbyMember::getReady);
            if (start) {
                st.starting = true;
            }
        }
        if (start) {
            bot.request(
                            ClientFrame.newBuilder()
                                    .setStartMatch(StartMatch.newBuilder().setLobbyId(s.getLobbyId())),
                            START_RACES)
                    .whenComplete((r, e) -> {
                        synchronized (st) {
                            st.starting = false;
                        }
                    });
        }
    }
}
