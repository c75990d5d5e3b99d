package io.tickroom.server.testing;

import com.google.protobuf.ByteString;
import io.tickroom.server.match.GameMode;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a game plugin jar the way a studio would, but proving the point: its sources are
 * compiled ({@code javax.tools}) against the public game API's class files alone, copied out of
 * the server's classes into a folder of their own, plus protobuf-java: no Jetty, no Jedis, no
 * server internals on the class path. A source that reaches past the API does not compile.
 */
public final class GameJar {
    /** The public game API (package {@code io.tickroom.server.match}), stable since 0.2. */
    public static final List<String> API =
            List.of("GameMode", "GameModeProvider", "MatchLogic", "MatchContext", "Player", "Result");

    private GameJar() {}

    /** A folder under {@code dir} holding only the API's class files (from the server's classes or jar). */
    public static Path apiOnly(Path dir) throws IOException {
        Path out = dir.resolve("tickroom-game-api");
        Path pkg = out.resolve("io/tickroom/server/match");
        Files.createDirectories(pkg);
        for (String type : API) {
            try (var in = GameMode.class.getResourceAsStream(type + ".class")) {
                if (in == null) {
                    throw new IllegalStateException("no class file for API type " + type);
                }
                Files.copy(in, pkg.resolve(type + ".class"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return out;
    }

    /** The protobuf-java jar a game's payloads need. */
    public static Path protobuf() {
        return location(ByteString.class);
    }

    static Path location(Class<?> type) {
        try {
            return Path.of(
                    type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles every {@code .java} under {@code sources} and jars the classes with every file
     * under {@code resources} (its {@code META-INF/services} entry). Fails with javac's messages.
     */
    public static Path fromFolders(Path jar, Path sources, Path resources) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(sources)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        Map<String, byte[]> extra = new java.util.TreeMap<>();
        try (Stream<Path> s = Files.walk(resources)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                extra.put(resources.relativize(p).toString().replace(File.separatorChar, '/'), Files.readAllBytes(p));
            }
        }
        return build(jar, files, Map.of(), extra);
    }

    /**
     * Compiles sources given as text (fully qualified class name → source) into a jar whose
     * services file names {@code provider}.
     */
    public static Path fromSources(Path jar, String provider, Map<String, String> sources) throws IOException {
        return build(
                jar,
                List.of(),
                sources,
                Map.of(
                        "META-INF/services/io.tickroom.server.match.GameModeProvider",
                        (provider + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** javac's diagnostics for these sources against the API alone; empty when they compile. */
    public static String compileErrors(Path dir, Map<String, String> sources) throws IOException {
        Path out = Files.createTempDirectory(dir, "classes");
        return compile(out, dir, List.of(), sources);
    }

    private static Path build(Path jar, List<Path> files, Map<String, String> sources, Map<String, byte[]> resources)
            throws IOException {
        Path work = Files.createTempDirectory(jar.toAbsolutePath().getParent(), "game-build");
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        String errors = compile(classes, work, files, sources);
        if (!errors.isEmpty()) {
            throw new AssertionError("the game does not compile against the public API alone:\n" + errors);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                put(out, classes.relativize(p).toString().replace(File.separatorChar, '/'), Files.readAllBytes(p));
            }
            for (Map.Entry<String, byte[]> r : resources.entrySet()) {
                put(out, r.getKey(), r.getValue());
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] bytes) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(bytes);
        out.closeEntry();
    }

    private static String compile(Path classes, Path work, List<Path> files, Map<String, String> sources)
            throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no system Java compiler: run the tests on a JDK");
        }
        String classPath = apiOnly(work) + File.pathSeparator + protobuf();
        StringWriter diagnostics = new StringWriter();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            List<JavaFileObject> units = new ArrayList<>();
            fm.getJavaFileObjectsFromPaths(files).forEach(units::add);
            sources.forEach((name, text) -> units.add(new Source(name, text)));
            boolean ok = javac.getTask(
                            diagnostics,
                            fm,
                            null,
                            List.of("--release", "17", "-proc:none", "-classpath", classPath, "-d", classes.toString()),
                            null,
                            units)
                    .call();
            return ok ? "" : diagnostics.toString();
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String className, String text) {
            super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
