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
    private static final Pattern PERCENTILE = Pattern.compile("(p50|p90|p99|p99\\.9|max)\\(([a-z_]+)\\)\\s*<\\s*([0-9.]+)\\s*ms");
    private static final Pattern ERROR_RATE = Pattern.compile("error_rate\\s*<\\s*([0-9.]+)\\s*%");
    private static final Pattern DELIVERIES = Pattern.compile("deliveries_per_s\\s*>\\s*([0-9.]+)");

    private interface Check {
        String miss(Report r);
    }

    private final List<Check> checks = new ArrayList<>();

    private Slo() {
    }

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
                        return p + ": no " + name + " samples";
                    }
                    double v = d.percentile(pct);
                    return v < limit ? null : String.format(Locale.ROOT, "%s: was %.2f ms", p, v);
                });
            } else if ((m = ERROR_RATE.matcher(p)).matches()) {
                double limit = Double.parseDouble(m.group(1)) / 100;
                slo.checks.add(r -> r.errorRate() < limit ? null
                        : String.format(Locale.ROOT, "%s: was %.4f%%", p, r.errorRate() * 100));
            } else if ((m = DELIVERIES.matcher(p)).matches()) {
                double limit = Double.parseDouble(m.group(1));
                slo.checks.add(r -> r.deliveriesPerSecond() > limit ? null
                        : String.format(Locale.ROOT, "%s: was %.0f", p, r.deliveriesPerSecond()));
            } else {
                throw new IllegalArgumentException("--slo: cannot read '" + p
                        + "' (try p99(join_lobby)<50ms, error_rate<0.1%, deliveries_per_s>1000)");
            }
        }
        return slo;
    }

    /** The checks the report misses, each with what was measured. */
    public List<String> evaluate(Report r) {
        List<String> missed = new ArrayList<>();
        for (Check c : checks) {
            String m = c.miss(r);
            if (m != null) {
                missed.add(m);
            }
        }
        return missed;
    }
}
