package io.tickroom.server.match;

import io.tickroom.server.cluster.NodeCalls;
import io.tickroom.server.session.ProtocolException;
import io.tickroom.server.tick.TimeSource;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
    public CompletableFuture<String> place(GameMode mode, List<MatchService.Seating> players, Map<String, String> settings,
            String node) {
        if (node.equals(nodeId)) {
            matches.create(mode, players, settings);
            return CompletableFuture.completedFuture(nodeId);
        }
        // line 2: the mode, then (after a tab) the settings URL-encoded: a node without settings
        // support finds no such mode and the match is hosted here
        StringBuilder q = new StringBuilder().append(time.epochMillis()).append('\n').append(mode.name());
        if (!settings.isEmpty()) {
            q.append('\t').append(encode(settings));
        }
        for (MatchService.Seating p : players) {
            q.append('\n').append(p.userId()).append('\t').append(p.name());
        }
        return calls.askOne(node, "host-match", q.toString().getBytes(StandardCharsets.UTF_8), ASK_TIMEOUT_MS)
                .handle((answer, e) -> {
                    String a = answer == null ? null : new String(answer, StandardCharsets.UTF_8);
                    if (a != null && a.startsWith("OK")) {
                        return node;
                    }
                    log.warn("node {} did not host a {} match ({}); hosting it here", node, mode.name(),
                            e != null ? e.getMessage() : a == null ? "no answer in time" : a);
                    matches.create(mode, players, settings);
                    return nodeId;
                });
    }

    /** {@code k=v&k=v}, each part URL-encoded (values may hold any character). */
    static String encode(Map<String, String> settings) {
        StringBuilder b = new StringBuilder();
        settings.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    static Map<String, String> decode(String encoded) {
        Map<String, String> out = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private byte[] hostHere(byte[] query) {
        String[] lines = new String(query, StandardCharsets.UTF_8).split("\n");
        long sentAt = Long.parseLong(lines[0]);
        if (time.epochMillis() - sentAt > ACCEPT_WITHIN_MS) {
            return "LATE".getBytes(StandardCharsets.UTF_8);
        }
        String[] modeLine = lines[1].split("\t", 2);
        GameMode mode = modes.find(modeLine[0]).orElse(null);
        if (mode == null) {
            return ("NO_MODE " + modeLine[0]).getBytes(StandardCharsets.UTF_8);
        }
        Map<String, String> settings = modeLine.length > 1 ? decode(modeLine[1]) : Map.of();
        List<MatchService.Seating> players = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].split("\t", 2);
            players.add(new MatchService.Seating(f[0], f.length > 1 ? f[1] : f[0]));
        }
        try {
            return ("OK " + matches.create(mode, players, settings).matchId()).getBytes(StandardCharsets.UTF_8);
        } catch (ProtocolException e) {
            return ("REFUSED " + e.getMessage()).getBytes(StandardCharsets.UTF_8);
        }
    }
}
