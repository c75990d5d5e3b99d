package io.tickroom.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.Yaml;

/**
 * The repository's deployment files, read for tests: the Dockerfile as instructions, the compose
 * file and the dashboard as maps (SnakeYAML reads JSON too), the systemd unit as sections.
 */
public final class DeployFiles {
    private DeployFiles() {}

    /** The repository root: the nearest folder above the working directory with {@code mvnw} and {@code server/deploy/}. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.exists(p.resolve("mvnw")) && Files.isDirectory(p.resolve("server/deploy"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new AssertionError("no repository root with mvnw and server/deploy/ above "
                + Path.of("").toAbsolutePath());
    }

    public static Path file(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) throws IOException {
        return Files.readString(file(relative));
    }

    /** A YAML or JSON document as plain maps, lists and scalars. */
    public static Map<String, Object> yaml(String relative) throws IOException {
        return new Yaml().load(read(relative));
    }

    /** One Dockerfile instruction: its keyword upper-cased, its arguments with continuations joined, its line. */
    public record Instruction(String keyword, String args, int line) {}

    /** The Dockerfile's instructions in order; comments (and the syntax directive) are skipped. */
    public static List<Instruction> dockerfile(String relative) throws IOException {
        List<Instruction> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file(relative));
        StringBuilder current = null;
        int start = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.strip();
            if (current == null && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
                continue;
            }
            if (current != null && trimmed.startsWith("#")) {
                continue; // a comment inside a continued instruction
            }
            if (current == null) {
                current = new StringBuilder();
                start = i + 1;
            }
            boolean continues = trimmed.endsWith("\\");
            current.append(continues ? trimmed.substring(0, trimmed.length() - 1) : trimmed)
                    .append(' ');
            if (!continues) {
                String text = current.toString().strip().replaceAll("\\s+", " ");
                int cut = text.indexOf(' ');
                out.add(new Instruction(
                        text.substring(0, cut).toUpperCase(java.util.Locale.ROOT), text.substring(cut + 1), start));
                current = null;
            }
        }
        return out;
    }

    /** A systemd unit: section name → key → values in order (a key may repeat). */
    public static Map<String, Map<String, List<String>>> unit(String relative) throws IOException {
        Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
        Map<String, List<String>> section = null;
        for (String line : Files.readAllLines(file(relative))) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("[") && t.endsWith("]")) {
                section = sections.computeIfAbsent(t.substring(1, t.length() - 1), k -> new LinkedHashMap<>());
                continue;
            }
            int eq = t.indexOf('=');
            if (section == null || eq < 0) {
                throw new AssertionError(relative + ": not a unit file line: " + line);
            }
            section.computeIfAbsent(t.substring(0, eq).strip(), k -> new ArrayList<>())
                    .add(t.substring(eq + 1).strip());
        }
        return sections;
    }

    /** The one value of a unit key; fails when it is missing or given more than once. */
    public static String one(Map<String, Map<String, List<String>>> unit, String section, String key) {
        List<String> values = unit.getOrDefault(section, Map.of()).get(key);
        if (values == null || values.size() != 1) {
            throw new AssertionError("[" + section + "] " + key + "= should be given once, is " + values);
        }
        return values.get(0);
    }
}
