package io.tickroom.browser;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Node.js scripts of {@code bot-client/ts} (the TypeScript client, its tests, the browser
 * tests) as subprocesses: finds Node 20+, installs the npm dependencies from the committed
 * lockfile when they are missing, and fails with the script's output when it fails.
 */
final class NodeScripts {
    /** {@code bot-client/ts}: tests run with the module as their working directory. */
    static final Path TS = Path.of("ts").toAbsolutePath();

    private static boolean installed;

    private NodeScripts() {}

    record Result(int exitCode, String output) {}

    /**
     * Checks Node and installs the dependencies once per test JVM ({@code npm ci} from the
     * committed lockfile when node_modules is missing or older than the lockfile).
     */
    static synchronized void ready() throws Exception {
        Result v = exec(Duration.ofSeconds(20), Map.of(), "node", "--version");
        int major = v.exitCode() == 0 ? Integer.parseInt(v.output().trim().replaceAll("^v(\\d+).*", "$1")) : 0;
        if (major < 20) {
            throw new AssertionError("Node.js 20 or newer is needed by the TypeScript client and browser tests"
                    + (major == 0
                            ? " and was not found"
                            : ", found " + v.output().trim())
                    + ". Install it (Debian/Ubuntu: apt-get install -y nodejs npm) and rerun.");
        }
        Path lock = TS.resolve("package-lock.json");
        Path installedLock = TS.resolve("node_modules/.package-lock.json");
        // missing, or installed before the lockfile last changed
        if (!installed
                && (!Files.exists(installedLock)
                        || Files.getLastModifiedTime(installedLock).compareTo(Files.getLastModifiedTime(lock)) < 0)) {
            run(Duration.ofMinutes(5), Map.of(), "npm", "ci", "--no-audit", "--no-fund");
        }
        installed = true;
    }

    /** Runs {@code command} in {@code bot-client/ts}; fails with its output unless it exits 0. */
    static String run(Duration timeout, Map<String, String> env, String... command) throws Exception {
        Result r = exec(timeout, env, command);
        if (r.exitCode() != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + r.exitCode() + ":\n" + r.output());
        }
        return r.output();
    }

    static Result exec(Duration timeout, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(TS.toFile()).redirectErrorStream(true);
        String repo = System.getProperty("tickroom.mavenRepo");
        if (repo != null && !repo.isBlank()) {
            pb.environment().put("MAVEN_REPO", repo); // build/gen.mjs finds protoc there
        }
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(-1, command[0] + " could not be started: " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), out), "node-output");
        reader.setDaemon(true);
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
            reader.join(2_000);
            throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout + ":\n"
                    + out.toString(StandardCharsets.UTF_8));
        }
        reader.join(5_000);
        String text = out.toString(StandardCharsets.UTF_8);
        if (p.exitValue() == 0) {
            System.out.println(text); // the script's own report, in the test log (a failure carries it instead)
        }
        return new Result(p.exitValue(), text);
    }

    /** The {@code *.test.mjs} files of a folder of {@code bot-client/ts}, sorted. */
    static List<String> testFiles(String folder) throws IOException {
        List<String> files = new ArrayList<>();
        try (var s = Files.list(TS.resolve(folder))) {
            s.filter(f -> f.getFileName().toString().endsWith(".test.mjs"))
                    .sorted()
                    .forEach(f -> files.add(folder + "/" + f.getFileName()));
        }
        return files;
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }
}
