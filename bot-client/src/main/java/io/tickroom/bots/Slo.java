package io.tickroom.bots;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pass/fail thresholds, e.g. {@code p99(join_lobby)<50ms,error_rate<0.1%,deliveries_per_s>1000}.
 * Percentiles: p50, p90, p99, p99.9 or max, of {@code connect}, {@code snapshot_jitter},
 * {@code chat_delivery} or a request type (the body case name, e.g. {@code create_lobby}).
 * A percentile of a request type that never ran is a miss (the SLO could not be checked).
 */
public final class Slo {
    private static final Pattern PERCENTILE =
            Pattern.compile("(p50|p90|p99|p99\\.9|max)\\(([a-z_]+)\\)\\s*<\\s*([0-9.]+)\\s*ms");
    private static final Pattern ERROR_RATE = Pattern.compile("error_rate\\s*<\\s*([0-9.]+)\\s*%");
    private static final Pattern DELIVERIES = Pattern.compile("deliveries_per_s\\s*>\\s*([0-9.]+)");

    /** One threshold against a report: what it says, what was measured, whether it held. */
    public record Verdict(String spec, String measured, boolean met) {
        @Override
        public String toString() {
            return (met ? "met    " : "MISSED ") + spec + ": was " + measured;
        }
    }

    private interface Check {
        Verdict judge(Report r);
    }

    private final List<Check> checks = new ArrayList<>();

    private Slo() {}

    public static Slo parse(String spec) {
        Slo slo = new Slo();
        if (spec == null || spec.isBlank()) {
            return slo;
        }
        for (String part : spec.split(",")) {
            String p = part.trim();
            Matcher m;
            if ((m = PERCENTILE.matcher(p)).matches()) {
                String which = m.group(1);
                String name = m.group(2);
                double limit = Double.parseDouble(m.group(3));
                double pct = which.equals("max") ? 100 : Double.parseDouble(which.substring(1));
                slo.checks.add(r -> {
                    Report.Dist d = r.dist(name);
                    if (d == null || d.count() == 0) {
                        return new Verdict(p, "no " + name + " samples", false);
                    }
                    double v = d.percentile(pct);
                    return new Verdict(p, String.format(Locale.ROOT, "%.2f ms", v), v < limit);
                });
            } else if ((m = ERROR_RATE.matcher(p)).matches()) {
                double limit = Double.parseDouble(m.group(1)) / 100;
                slo.checks.add(r -> new Verdict(
                        p, String.format(Locale.ROOT, "%.4f%%", r.errorRate() * 100), r.errorRate() < limit));
            } else if ((m = DELIVERIES.matcher(p)).matches()) {
                double limit = Double.parseDouble(m.group(1));
                slo.checks.add(r -> new Verdict(
                        p,
                        String.format(Locale.ROOT, "%.0f", r.deliveriesPerSecond()),
                        r.deliveriesPerSecond() > limit));
            } else {
                throw new IllegalArgumentException("--slo: cannot read '" + p
                        + "' (try p99(join_lobby)<50ms, error_rate<0.1%, deliveries_per_s>1000)");
            }
        }
        return slo;
    }

    /** Every check against the report, met or missed, each with what was measured. */
    public List<Verdict> judge(Report r) {
        List<Verdict> all = new ArrayList<>();
        for (Check c : checks) {
            all.add(c.judge(r));
        }
        return all;
    }

    /** Judges the report and records the verdicts on it; returns the missed ones ("spec: was value"). */
    public List<String> evaluate(Report r) {
        List<Verdict> all = judge(r);
        r.sloVerdicts = all;
        return all.stream()
                .filter(v -> !v.met())
                .map(v -> v.spec() + ": was " + v.measured())
                .toList();
    }
}
