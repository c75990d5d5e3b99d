package io.tickroom.server.admin;

import io.tickroom.protocol.v1.AdminResult;
import io.tickroom.protocol.v1.SessionInfo;
import io.tickroom.protocol.v1.SessionList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How the CLI prints answers: aligned tables for people, one JSON object per answer for scripts
 * ({@code --json}; keys are the protocol's field names). Pure functions of the answer.
 */
final class AdminOutput {
    private AdminOutput() {}

    /** One row per node: whether it answered the listing and how many sessions it holds per namespace. */
    record NodeRow(String nodeId, boolean answered, int playSessions, int adminSessions) {}

    static String sessionsTable(SessionList list) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "USER", "NAME", "NAMESPACE", "ADDRESS", "CONNECTED", "SESSION", "ROOMS"});
        for (SessionInfo s : sorted(list)) {
            rows.add(new String[] {
                s.getNodeId(),
                s.getUserId(),
                s.getUserName(),
                s.getNamespace(),
                s.getRemoteAddress(),
                Instant.ofEpochMilli(s.getConnectedAtMs())
                        .truncatedTo(ChronoUnit.SECONDS)
                        .toString(),
                s.getSessionId(),
                String.join(",", s.getRoomsList())
            });
        }
        return table(rows) + list.getSessionsCount() + " session" + (list.getSessionsCount() == 1 ? "" : "s")
                + nodesLine(list.getNodesAnsweredList(), list.getMissingNodesList());
    }

    static String sessionsJson(SessionList list) {
        StringBuilder b = new StringBuilder("{\"sessions\":[");
        List<SessionInfo> sessions = sorted(list);
        for (int i = 0; i < sessions.size(); i++) {
            SessionInfo s = sessions.get(i);
            b.append(i == 0 ? "" : ",")
                    .append('{')
                    .append("\"session_id\":")
                    .append(str(s.getSessionId()))
                    .append(",\"user_id\":")
                    .append(str(s.getUserId()))
                    .append(",\"user_name\":")
                    .append(str(s.getUserName()))
                    .append(",\"node_id\":")
                    .append(str(s.getNodeId()))
                    .append(",\"namespace\":")
                    .append(str(s.getNamespace()))
                    .append(",\"remote_address\":")
                    .append(str(s.getRemoteAddress()))
                    .append(",\"connected_at_ms\":")
                    .append(s.getConnectedAtMs())
                    .append(",\"rooms\":")
                    .append(strings(s.getRoomsList()))
                    .append('}');
        }
        return b.append("],\"nodes_answered\":")
                .append(strings(list.getNodesAnsweredList()))
                .append(",\"missing_nodes\":")
                .append(strings(list.getMissingNodesList()))
                .append('}')
                .toString();
    }

    /** "{@code what}: N; nodes answered: ...; no answer from: ..." for people ({@code what}: "sessions closed"). */
    static String resultText(String what, AdminResult r) {
        return what + ": " + r.getAffected() + nodesLine(r.getNodesAnsweredList(), r.getMissingNodesList());
    }

    static String resultJson(AdminResult r) {
        return "{\"affected\":" + r.getAffected() + ",\"nodes_answered\":" + strings(r.getNodesAnsweredList())
                + ",\"missing_nodes\":" + strings(r.getMissingNodesList()) + "}";
    }

    static String errorJson(String code, String message) {
        return "{\"error\":{\"code\":" + str(code) + ",\"message\":" + str(message) + "}}";
    }

    static List<NodeRow> nodeRows(SessionList list) {
        Map<String, NodeRow> rows = new java.util.TreeMap<>();
        for (String n : list.getNodesAnsweredList()) {
            rows.put(n, new NodeRow(n, true, 0, 0));
        }
        for (SessionInfo s : list.getSessionsList()) {
            NodeRow r = rows.getOrDefault(s.getNodeId(), new NodeRow(s.getNodeId(), true, 0, 0));
            boolean play = s.getNamespace().equals("/ws/play");
            rows.put(
                    r.nodeId(),
                    new NodeRow(
                            r.nodeId(), true, r.playSessions() + (play ? 1 : 0), r.adminSessions() + (play ? 0 : 1)));
        }
        for (String n : list.getMissingNodesList()) {
            rows.put(n, new NodeRow(n, false, 0, 0));
        }
        return List.copyOf(rows.values());
    }

    static String nodesTable(List<NodeRow> nodes, String connectedTo, String health) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "ANSWERED", "PLAY SESSIONS", "ADMIN SESSIONS"});
        for (NodeRow n : nodes) {
            rows.add(new String[] {
                n.nodeId() + (n.nodeId().equals(connectedTo) ? " *" : ""),
                n.answered() ? "yes" : "no",
                n.answered() ? Integer.toString(n.playSessions()) : "-",
                n.answered() ? Integer.toString(n.adminSessions()) : "-"
            });
        }
        return table(rows) + nodes.size() + " live node" + (nodes.size() == 1 ? "" : "s")
                + "; * = connected to, its /health: " + (health == null ? "unreachable" : health);
    }

    static String nodesJson(List<NodeRow> nodes, String connectedTo, String health) {
        StringBuilder b = new StringBuilder("{\"nodes\":[");
        for (int i = 0; i < nodes.size(); i++) {
            NodeRow n = nodes.get(i);
            b.append(i == 0 ? "" : ",")
                    .append("{\"node_id\":")
                    .append(str(n.nodeId()))
                    .append(",\"answered\":")
                    .append(n.answered());
            if (n.answered()) {
                b.append(",\"play_sessions\":")
                        .append(n.playSessions())
                        .append(",\"admin_sessions\":")
                        .append(n.adminSessions());
            }
            b.append('}');
        }
        // /health answers a JSON object already: embed it as it is (null when unreachable)
        return b.append("],\"connected_node\":")
                .append(str(connectedTo))
                .append(",\"health\":")
                .append(health == null || !health.startsWith("{") ? "null" : health)
                .append('}')
                .toString();
    }

    private static List<SessionInfo> sorted(SessionList list) {
        return list.getSessionsList().stream()
                .sorted(Comparator.comparing(SessionInfo::getNodeId)
                        .thenComparing(SessionInfo::getUserId)
                        .thenComparingLong(SessionInfo::getConnectedAtMs))
                .toList();
    }

    private static String nodesLine(List<String> answered, List<String> missing) {
        return "; nodes answered: " + (answered.isEmpty() ? "none" : String.join(", ", answered)) + "; no answer from: "
                + (missing.isEmpty() ? "none" : String.join(", ", missing)) + "\n";
    }

    /** Left-aligned columns, two spaces apart, each line ending in a newline. */
    static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(r[i]);
                if (i < r.length - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String strings(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(str(values.get(i)));
        }
        return b.append(']').toString();
    }

    /** A JSON string literal. */
    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
