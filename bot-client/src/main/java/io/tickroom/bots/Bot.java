package io.tickroom.bots;

import io.tickroom.client.ClientConfig;
import io.tickroom.client.ClientRuntime;
import io.tickroom.client.ConnectionListener;
import io.tickroom.client.ConnectionLostException;
import io.tickroom.client.QueueFullException;
import io.tickroom.client.RequestTimeoutException;
import io.tickroom.client.TickroomClient;
import io.tickroom.protocol.v1.ClientFrame;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.protocol.v1.ServerFrame;
import io.tickroom.protocol.v1.arena.ArenaSnapshot;
import java.net.URI;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One headless player: a client, a seeded random, and the scenario's state. Everything a bot does
 * is a callback on a runtime thread; the bot's own fields are guarded by the bot.
 */
final class Bot {
    final int index;
    final String userId;
    final Random random;
    final SwarmMetrics metrics;
    final SwarmConfig config;
    private final ClientRuntime runtime;
    private final BotTokens tokens;
    private final URI url;
    private volatile TickroomClient client;
    volatile boolean stopped;
    private volatile long selfDropAtMs;
    private long lastSnapshotNs;

    Bot(int index, SwarmConfig config, ClientRuntime runtime, BotTokens tokens, SwarmMetrics metrics) {
        this.index = index;
        this.userId = "bot-" + config.seed() + "-" + index;
        this.random = new Random(config.seed() + index);
        this.metrics = metrics;
        this.config = config;
        this.runtime = runtime;
        this.tokens = tokens;
        this.url = config.urls().get(index % config.urls().size());
    }

    TickroomClient client() {
        return client;
    }

    /** Opens a fresh client with the metric listeners; the future completes on its welcome. */
    CompletableFuture<TickroomClient> connect() {
        int rating = 1200 + random.nextInt(600);
        retire(client);
        TickroomClient c = runtime.newClient(
                ClientConfig.of(url, () -> tokens.mint(userId, rating, 3_600_000))
                        .withRequestTimeoutMs(config.requestTimeoutMs()),
                new Random(random.nextLong()));
        client = c;
        c.onConnection(new ConnectionListener() {
            @Override
            public void disconnected(int code, String reason) {
                metrics.connected.decrementAndGet();
                metrics.closed(code);
            }

            @Override
            public void reconnected(int attempts) {
                metrics.connected.incrementAndGet();
                metrics.reconnects.increment();
            }

            @Override
            public void gaveUp(String reason) {
                metrics.gaveUp.increment();
            }

            @Override
            public void resumed(String sessionId, int replayed) {
                metrics.resumes.increment();
            }

            @Override
            public void sessionExpired(String reason) {
                metrics.resumesFailed.increment();
            }
        });
        c.onAnyPush(f -> {
            metrics.deliveries.increment();
            if (f.hasChat()) {
                metrics.deliveryLatency.recordValue(
                        Math.max(0, System.currentTimeMillis() - f.getChat().getSentAtMs()) * 1000);
            }
        });
        c.on(ServerFrame.BodyCase.MATCH_SNAPSHOT, this::snapshot);
        long t0 = System.nanoTime();
        return c.connect().thenApply(w -> {
            metrics.connectTime((System.nanoTime() - t0) / 1000);
            metrics.connected.incrementAndGet();
            return c;
        });
    }

    private void snapshot(ServerFrame f) {
        long now = System.nanoTime();
        long last;
        synchronized (this) {
            last = lastSnapshotNs;
            lastSnapshotNs = now;
        }
        if (last != 0) {
            long gapUs = (now - last) / 1000;
            long periodUs = 50_000;
            if (gapUs < 10 * periodUs) {
                metrics.snapshotJitter.recordValue(Math.abs(gapUs - periodUs));
            }
        }
        metrics.snapshots.increment();
        try {
            ArenaSnapshot s = ArenaSnapshot.parseFrom(f.getMatchSnapshot().getPayload());
            // one-way: the server stamps the snapshot when the tick builds it (same machine, same clock)
            metrics.snapshotLatency.recordValue(Math.min(
                    SwarmMetrics.MAX_US, Math.max(0, System.currentTimeMillis() - s.getServerTimeMs()) * 1000));
        } catch (Exception e) {
            metrics.error("BAD_SNAPSHOT");
        }
    }

    void resetSnapshotClock() {
        synchronized (this) {
            lastSnapshotNs = 0;
        }
    }

    /**
     * Sends a request and records its latency by type; an error answer counts as an error unless
     * the scenario expects that code (contention such as FULL is part of the game).
     */
    CompletableFuture<ServerFrame> request(ClientFrame.Builder frame, Set<ErrorCode> expected) {
        String type = frame.getBodyCase().name().toLowerCase();
        long t0 = System.nanoTime();
        TickroomClient c = client;
        if (c == null) {
            return CompletableFuture.failedFuture(new ConnectionLostException("bot stopped"));
        }
        return c.request(frame).handle((reply, err) -> {
            if (err != null) {
                Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
                if (cause instanceof ConnectionLostException && System.currentTimeMillis() - selfDropAtMs < 5_000) {
                    // the scenario dropped the connection on purpose: in-flight requests are lost by design
                    metrics.expected("LOST_IN_OWN_DROP");
                } else if (!stopped) {
                    metrics.failure(
                            cause instanceof RequestTimeoutException
                                    ? "timeout"
                                    : cause instanceof ConnectionLostException
                                            ? "connection_lost"
                                            : cause instanceof QueueFullException
                                                    ? "queue_full"
                                                    : cause.getClass().getSimpleName());
                }
                throw new CompletionException(cause);
            }
            metrics.request(type, (System.nanoTime() - t0) / 1000);
            if (reply.hasError()) {
                if (expected.contains(reply.getError().getCode())) {
                    metrics.expected(reply.getError().getCode().name());
                } else if (!stopped) {
                    metrics.error(reply.getError().getCode().name());
                }
            }
            return reply;
        });
    }

    /** Drops the connection as a network failure would (reconnect storms); the library reconnects. */
    void dropConnection() {
        selfDropAtMs = System.currentTimeMillis();
        client.dropConnection();
    }

    /** Runs {@code step} later on the shared timer, unless the bot has stopped. */
    void later(long delayMs, Runnable step) {
        runtime.timer().schedule(delayMs, () -> {
            if (!stopped) {
                try {
                    step.run();
                } catch (RuntimeException e) {
                    metrics.failure("bot_" + e.getClass().getSimpleName());
                }
            }
        });
    }

    /** Adds a client's frame counters to the swarm's before the client is replaced or stopped. */
    private void retire(TickroomClient old) {
        if (old != null) {
            metrics.framesIn.add(old.stats().framesIn());
            metrics.framesOut.add(old.stats().framesOut());
        }
    }

    long liveFramesIn() {
        TickroomClient c = client;
        return c == null ? 0 : c.stats().framesIn();
    }

    long liveFramesOut() {
        TickroomClient c = client;
        return c == null ? 0 : c.stats().framesOut();
    }

    /**
     * Leaves like a player quitting the game: gives up a match seat (so the match does not hold
     * it for the reconnect grace), then closes. Lobby seats and queue places go with the session.
     */
    CompletableFuture<Void> leaveAndStop() {
        stopped = true;
        TickroomClient c = client;
        TickroomClient.MatchLink link = c == null ? null : c.match();
        CompletableFuture<?> left = link == null
                ? CompletableFuture.completedFuture(null)
                : link.leave().exceptionally(e -> null);
        return left.handle((r, e) -> {
            stop();
            return null;
        });
    }

    void stop() {
        stopped = true;
        TickroomClient c = client;
        if (c != null) {
            c.close();
            retire(c);
            client = null;
        }
    }
}
