package io.tickroom.server.net;

import io.tickroom.server.session.ClientSession;
import io.tickroom.server.session.CloseCodes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that, every ping interval, pings every session (so live peers' pongs keep the idle
 * timeout away while dead ones hit it) and aborts sessions whose oldest write has stalled past
 * the write timeout. Work per round is a pass over the open sessions; it never blocks on them.
 */
final class Housekeeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

    private final Gateway gateway;
    private final long writeTimeoutNs;
    private final ScheduledExecutorService timer;

    Housekeeper(Gateway gateway, long pingIntervalMs, long writeTimeoutMs) {
        this.gateway = gateway;
        this.writeTimeoutNs = TimeUnit.MILLISECONDS.toNanos(writeTimeoutMs);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tickroom-housekeeper");
            t.setDaemon(true);
            return t;
        });
        long periodMs = Math.min(pingIntervalMs, Math.max(100, writeTimeoutMs / 2));
        long[] sincePingMs = {0};
        timer.scheduleAtFixedRate(() -> {
            sincePingMs[0] += periodMs;
            boolean ping = sincePingMs[0] >= pingIntervalMs;
            if (ping) {
                sincePingMs[0] = 0;
            }
            round(ping);
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void round(boolean ping) {
        long now = gateway.time().nanoTime();
        for (WsEndpoint e : gateway.endpoints()) {
            try {
                ClientSession s = e.session();
                JettySink sink = e.sink();
                if (s == null || sink == null) {
                    continue;
                }
                if (s.outbound().stalledForNs(now) > writeTimeoutNs) {
                    log.info("{}: write stalled past the write timeout, dropping it", s);
                    s.abort();
                } else if (s.outbound().isClosed() && sink.isOpen() && s.isClosing()) {
                    // closed as a slow consumer: its close frame may be stuck behind unread data
                    s.abort();
                } else if (ping && sink.isOpen()) {
                    sink.ping();
                }
            } catch (RuntimeException ex) {
                log.warn("housekeeping failed for {}", e.session(), ex);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
