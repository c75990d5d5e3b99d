package io.tickroom.server.match;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tickroom.protocol.internal.v1.HostMatch;
import io.tickroom.protocol.internal.v1.HostMatchAnswer;
import io.tickroom.protocol.internal.v1.HostMatchPlayer;
import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.tick.TimeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new match runs. The rule: <b>on the node that holds most of its players</b> (fewest
 * players have to connect elsewhere), ties going to the node that formed the match (no extra
 * hop). When that is another node, it is asked to host the match over {@link NodeCalls}; it
 * refuses a request older than {@value #ACCEPT_WITHIN_MS} ms, and the asking node waits
 * {@value #ASK_TIMEOUT_MS} ms, so a request it gave up on is never hosted late as well. A node
 * that refuses (at its match cap) or does not answer in time leaves the match to the forming
 * node. Either way every player gets {@code match_found} with the hosting node's URL.
 * Server-internal: not part of the game API.
 */
public final class MatchPlacement {
    private static final Logger log = LoggerFactory.getLogger(MatchPlacement.class);
    static final long ACCEPT_WITHIN_MS = 1_000;
    static final long ASK_TIMEOUT_MS = 2_000;

    private final String nodeId;
    private final MatchService matches;
    private final GameModes modes;
    private final NodeCalls calls;
    private final TimeSource time;

    public MatchPlacement(String nodeId, MatchService matches, GameModes modes, NodeCalls calls, TimeSource time) {
        this.nodeId = nodeId;
        this.matches = matches;
        this.modes = modes;
        this.calls = calls;
        this.time = time;
        calls.serve("host-match", this::hostHere);
    }

    /** The node holding most of the players (by the given node per user), ties to this node. */
    public String choose(List<MatchService.Seating> players, Map<String, String> nodeOfUser) {
        Map<String, Integer> count = new HashMap<>();
        for (MatchService.Seating p : players) {
            count.merge(nodeOfUser.getOrDefault(p.userId(), nodeId), 1, Integer::sum);
        }
        String best = nodeId;
        int most = count.getOrDefault(nodeId, 0);
        for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(count).entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /**
     * Places the match; completes with the hosting node's id once it runs. Local placement
     * completes at once (and throws like {@link MatchService#create}).
     */
    public CompletableFuture<String> place(GameMode mode, List<MatchService.Seating> players, String node) {
        return place(mode, players, Map.of(), node);
    }

    /** {@link #place(GameMode, List, String)} with the match's settings (the lobby's attributes). */
    public CompletableFuture<String> place(
            GameMode mode, List<MatchService.Seating> players, Map<String, String> settings, String node) {
        if (node.equals(nodeId)) {
            matches.create(mode, players, settings);
            return CompletableFuture.completedFuture(nodeId);
        }
        HostMatch.Builder q = HostMatch.newBuilder()
                .setSentAtMs(time.epochMillis())
                .setMode(mode.name())
                .putAllSettings(settings);
        for (MatchService.Seating p : players) {
            q.addPlayers(HostMatchPlayer.newBuilder().setUserId(p.userId()).setName(p.name()));
        }
        return calls.askOne(node, "host-match", q.build().toByteArray(), ASK_TIMEOUT_MS)
                .handle((answer, e) -> {
                    HostMatchAnswer a = answer == null ? null : parse(answer);
                    if (a != null && a.getOutcome() == HostMatchAnswer.Outcome.HOSTED) {
                        return node;
                    }
                    log.warn(
                            "node {} did not host a {} match ({}); hosting it here",
                            node,
                            mode.name(),
                            e != null
                                    ? e.getMessage()
                                    : a == null ? "no answer in time" : a.getOutcome() + " " + a.getMessage());
                    matches.create(mode, players, settings);
                    return nodeId;
                });
    }

    private static HostMatchAnswer parse(byte[] answer) {
        try {
            return HostMatchAnswer.parseFrom(answer);
        } catch (InvalidProtocolBufferException e) {
            return null;
        }
    }

    private byte[] hostHere(byte[] query) {
        HostMatch q;
        try {
            q = HostMatch.parseFrom(query);
        } catch (InvalidProtocolBufferException e) {
            return null; // not a host-match query: no answer, the asker hosts it itself
        }
        if (time.epochMillis() - q.getSentAtMs() > ACCEPT_WITHIN_MS) {
            return outcome(HostMatchAnswer.Outcome.LATE, "");
        }
        GameMode mode = modes.find(q.getMode()).orElse(null);
        if (mode == null) {
            return outcome(HostMatchAnswer.Outcome.NO_MODE, q.getMode());
        }
        List<MatchService.Seating> players = new ArrayList<>();
        for (HostMatchPlayer p : q.getPlayersList()) {
            players.add(new MatchService.Seating(p.getUserId(), p.getName().isEmpty() ? p.getUserId() : p.getName()));
        }
        try {
            return HostMatchAnswer.newBuilder()
                    .setOutcome(HostMatchAnswer.Outcome.HOSTED)
                    .setMatchId(
                            matches.create(mode, players, q.getSettingsMap()).matchId())
                    .build()
                    .toByteArray();
        } catch (ProtocolException e) {
            return outcome(HostMatchAnswer.Outcome.REFUSED, e.getMessage());
        }
    }

    private static byte[] outcome(HostMatchAnswer.Outcome outcome, String message) {
        return HostMatchAnswer.newBuilder()
                .setOutcome(outcome)
                .setMessage(message)
                .build()
                .toByteArray();
    }
}
