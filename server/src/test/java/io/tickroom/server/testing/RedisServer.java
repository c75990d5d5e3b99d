package io.tickroom.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.RedisClient;

/**
 * A real {@code redis-server} the test starts on a free port (no persistence) and stops itself,
 * so it can also kill and restart it to test faults. Fails, never skips, when redis-server is
 * not installed.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(int port) throws IOException {
        this.port = port;
        this.dir = Files.createTempDirectory("tickroom-redis");
    }

    /**
     * Starts a server on a port the kernel just had free. Between that check and the server's bind
     * a client socket can take the port (it is an ephemeral one): then another port is tried, up
     * to 5 times.
     */
    public static RedisServer start() throws Exception {
        for (int attempt = 1; ; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            RedisServer r = new RedisServer(port);
            try {
                r.launch();
                return r;
            } catch (AssertionError e) {
                if (r.process != null) {
                    r.process.destroyForcibly();
                }
                if (attempt == 5 || e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    static String binary() {
        for (String candidate : new String[] {"/usr/bin/redis-server", "/usr/local/bin/redis-server"}) {
            if (new File(candidate).canExecute()) {
                return candidate;
            }
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, "redis-server");
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        throw new AssertionError("redis-server is not installed; the Redis tests need it. "
                + "Install it (Debian/Ubuntu: apt-get install -y redis-server; macOS: brew install redis) and rerun.");
    }

    /** Starts (or restarts, on the same port) the server and waits until it answers PING. */
    public void launch() throws Exception {
        process = new ProcessBuilder(
                        binary(),
                        "--port",
                        Integer.toString(port),
                        "--bind",
                        "127.0.0.1",
                        "--save",
                        "",
                        "--appendonly",
                        "no",
                        "--dir",
                        dir.toString(),
                        "--daemonize",
                        "no")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        Process started = process;
        // a test JVM that ends early (a failed teardown, an interrupted build) takes its redis-server along
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly, "redis-server-reaper"));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (RedisClient j = RedisClient.create("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new AssertionError(
                            "redis-server did not start on port " + port + ": "
                                    + Files.readString(dir.resolve("redis.log")),
                            e);
                }
            }
            synchronized (this) {
                wait(20);
            }
        }
    }

    /** Kills the server at once (SIGKILL): a crash, not a shutdown. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Freezes the server (SIGSTOP): connections stay open and nothing answers, like a hung Redis. */
    public void freeze() throws Exception {
        signal("-STOP");
    }

    /** Lets a frozen server go on (SIGCONT). */
    public void thaw() throws Exception {
        signal("-CONT");
    }

    private void signal(String sig) throws Exception {
        int rc = new ProcessBuilder("kill", sig, Long.toString(process.pid()))
                .start()
                .waitFor();
        if (rc != 0) {
            throw new AssertionError("kill " + sig + " failed");
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
