package io.tickroom.bots;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a duration the way people type one: {@code 500ms}, {@code 15s}, {@code 2m}, {@code 1h},
 * {@code 1.5s}, or ISO-8601 ({@code PT15S}). Used by every flag of the swarm and the soak that
 * takes a duration; anything else is refused with a message that shows the accepted forms.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** The duration {@code text} names; IllegalArgumentException when it names none. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double unitMs = switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                default -> 3_600_000;
            };
            return Duration.ofNanos(Math.round(amount * unitMs * 1_000_000));
        }
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                // fall through to the one message below
            }
        }
        throw new IllegalArgumentException(
                "'" + text + "' is not a duration: use e.g. 500ms, 15s, 2m, 1h or ISO-8601 PT15S");
    }
}
