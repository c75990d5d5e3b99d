package io.tickroom.server.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Grafana dashboard in {@code server/deploy/grafana/}: its panels, its PromQL queries and the metric names they read. */
public final class Dashboard {
    public static final String FILE = "server/deploy/grafana/tickroom-dashboard.json";
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");
    private static final Pattern GROUPING =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    private static final Pattern NAME = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Pattern LABEL_VALUES =
            Pattern.compile("^\\s*label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,");

    private final Map<String, Object> json;

    private Dashboard(Map<String, Object> json) {
        this.json = json;
    }

    public static Dashboard load() throws java.io.IOException {
        return new Dashboard(DeployFiles.yaml(FILE));
    }

    public Map<String, Object> json() {
        return json;
    }

    /** Every panel, rows included, in file order. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> panels() {
        return (List<Map<String, Object>>) json.get("panels");
    }

    /** A query of a panel (or of the node variable), named for failure messages. */
    public record Query(String where, String expr) {}

    /** Every panel target's {@code expr} and the template variables' queries. */
    @SuppressWarnings("unchecked")
    public List<Query> queries() {
        List<Query> out = new ArrayList<>();
        for (Map<String, Object> p : panels()) {
            for (Map<String, Object> t : (List<Map<String, Object>>) p.getOrDefault("targets", List.of())) {
                out.add(new Query("panel '" + p.get("title") + "' " + t.get("refId"), (String) t.get("expr")));
            }
        }
        Map<String, Object> templating = (Map<String, Object>) json.get("templating");
        for (Map<String, Object> v : (List<Map<String, Object>>) templating.get("list")) {
            if ("query".equals(v.get("type"))) {
                out.add(new Query(
                        "variable $" + v.get("name"), (String) ((Map<String, Object>) v.get("query")).get("query")));
            }
        }
        return out;
    }

    /**
     * The metric (sample) names a PromQL expression reads: identifiers outside label matchers,
     * ranges and strings that are neither a function or aggregation (followed by a parenthesis),
     * nor a grouping's label list, nor a keyword; for Grafana's {@code label_values(m, l)}, m.
     * Sample names as exposed: a histogram's {@code _bucket} is its own name, not stripped.
     */
    public static Set<String> metricNames(String expr) {
        Matcher lv = LABEL_VALUES.matcher(expr);
        if (lv.find()) {
            return Set.of(lv.group(1));
        }
        String e = expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", " ")
                .replaceAll("\\{[^}]*\\}", " ")
                .replaceAll("\\[[^\\]]*\\]", " ");
        e = GROUPING.matcher(e).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = NAME.matcher(e);
        while (m.find()) {
            if (m.group(2) == null && !KEYWORDS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** The expression as Prometheus itself takes it: Grafana's variables replaced by what "All" and the default interval mean. */
    public static String forPrometheus(String expr) {
        Matcher lv = Pattern.compile(
                        "^\\s*label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]+)\\s*\\)\\s*$")
                .matcher(expr);
        if (lv.find()) {
            return "group by (" + lv.group(2) + ") (" + lv.group(1) + ")";
        }
        return expr.replace("$__rate_interval", "1m").replace("$node", ".*");
    }
}
