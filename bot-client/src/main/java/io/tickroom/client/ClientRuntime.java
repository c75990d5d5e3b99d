package io.tickroom.client;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * What many clients share: one Jetty WebSocket client (its selector and a bounded thread pool)
 * and a small timer pool for request timeouts and reconnects. Create one per process.
 */
public final class ClientRuntime implements AutoCloseable {
    private final WebSocketClient jetty;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Timer timer;
    private final Transport.Connector connector;

    public ClientRuntime() throws Exception {
        this(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
    }

    public ClientRuntime(int threads) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(Math.max(threads, 8), Math.min(threads, 4));
        pool.setName("tickroom-client");
        pool.setDaemon(true);
        org.eclipse.jetty.client.HttpClient http = new org.eclipse.jetty.client.HttpClient();
        http.setExecutor(pool);
        jetty = new WebSocketClient(http);
        jetty.setMaxBinaryMessageSize(16 << 20);
        jetty.setIdleTimeout(Duration.ofMinutes(2));
        jetty.setStopTimeout(1000);
        jetty.start();
        scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "tickroom-client-timer");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        timer = new Timer() {
            @Override
            public long nowMs() {
                return System.currentTimeMillis();
            }

            @Override
            public Cancellable schedule(long delayMs, Runnable task) {
                var f = scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
                return () -> f.cancel(false);
            }
        };
        connector = new JettyConnector(jetty);
    }

    public TickroomClient newClient(ClientConfig config) {
        return new TickroomClient(config, connector, timer, new Random());
    }

    public TickroomClient newClient(ClientConfig config, RandomGenerator random) {
        return new TickroomClient(config, connector, timer, random);
    }

    public Timer timer() {
        return timer;
    }

    /**
     * Stops the runtime. Connections still closing get up to two seconds to finish their close
     * handshake first: a close frame that never leaves looks like a network drop to the server,
     * which then holds the user's lobby seat for a resume that will not come.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        try {
            while (!jetty.getOpenSessions().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10); // a bounded wait for close handshakes at shutdown (Jetty offers no future for it)
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            jetty.stop();
        } catch (Exception e) {
            // connections that did not finish closing within the stop timeout are dropped with the process
            System.err.println("tickroom client: stop did not complete cleanly: " + e);
        }
    }
}
