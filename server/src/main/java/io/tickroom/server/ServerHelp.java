package io.tickroom.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options section of {@code tickroom-server --help}: the options in their groups (as the
 * config records group them), each with its description and default, and under it the
 * environment variable and configuration-file key that set it too. The names are derived the way
 * {@link ServerMain} reads them, so the help cannot disagree with the parser.
 */
final class ServerHelp {
    static final int NAME_COLUMN = 34;

    private ServerHelp() {}

    static String options(CommandLine.Help help) {
        int width = help.commandSpec().usageMessage().width();
        StringBuilder b = new StringBuilder();
        List<OptionSpec> ungrouped = new ArrayList<>();
        for (OptionSpec o : help.commandSpec().options()) {
            if (!ServerMain.settable(o)) {
                ungrouped.add(o);
            }
        }
        for (OptionSpec o : ungrouped) {
            option(b, o, width, false);
        }
        for (Map.Entry<String, String> section : ServerMain.SECTIONS) {
            b.append('\n').append(section.getValue()).append('\n');
            for (OptionSpec o :
                    help.commandSpec().mixins().get(section.getKey()).options()) {
                option(b, o, width, true);
            }
        }
        return b.toString();
    }

    private static void option(StringBuilder b, OptionSpec o, int width, boolean settable) {
        String names = String.join(", ", o.names()) + (o.typeInfo().isBoolean() ? "" : "=" + label(o));
        List<String> lines = wrap(String.join(" ", o.description()), width - NAME_COLUMN);
        if (settable) {
            lines.add(
                    o.names()[0].equals("--config")
                            ? "env TICKROOM_CONFIG"
                            : "env " + ServerMain.envName(o) + "  ·  file key " + ServerMain.fileKey(o));
        }
        String first = "  " + names;
        if (first.length() >= NAME_COLUMN - 1) {
            b.append(first).append('\n');
            first = "";
        }
        for (String line : lines) {
            b.append(String.format("%-" + NAME_COLUMN + "s%s%n", first, line));
            first = "";
        }
    }

    /** The option's own label when it names one ({@code FILE}, {@code URL}), else one from its type. */
    private static String label(OptionSpec o) {
        if (!o.paramLabel().startsWith("<")) {
            return o.paramLabel();
        }
        Class<?> t = o.typeInfo().getType();
        if (t == int.class || t == long.class) {
            return o.longestName().endsWith("-ms") ? "MS" : "N";
        }
        return o.typeInfo().isMultiValue() ? "LIST" : "TEXT";
    }

    private static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                out.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0) {
            out.add(line.toString());
        }
        return out;
    }
}
