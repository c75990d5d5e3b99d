package io.tickroom.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tickroom.protocol.v1.ErrorCode;
import io.tickroom.server.cluster.Cluster;
import io.tickroom.server.cluster.LobbyDirectory;
import io.tickroom.server.lobby.LobbyService;
import io.tickroom.server.match.MatchService;
import io.tickroom.server.matchmaking.QuickMatchService;
import io.tickroom.server.net.Gateway;
import io.tickroom.server.resume.ResumeService;
import io.tickroom.server.room.Streams;
import io.tickroom.server.session.Dispatcher;
import io.tickroom.server.session.Namespace;
import io.tickroom.server.session.SessionLanes;
import io.tickroom.server.session.SessionRegistry;
import io.tickroom.server.tick.TickScheduler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /metrics} serves, in the Prometheus text format: a Micrometer Prometheus registry
 * with the node's own meters (read from the components at scrape time, except the tick timers,
 * which the tick threads record), the JVM binders and Jetty's (bound by the web server). Names,
 * as Prometheus sees them: {@code tickroom_sessions{namespace}}, {@code tickroom_lobbies},
 * {@code tickroom_lobby_held_seats}, {@code tickroom_matches}, {@code tickroom_quickmatch_queued},
 * {@code tickroom_tick_duration_seconds}, {@code tickroom_tick_lateness_seconds} (histograms),
 * {@code tickroom_ticks_skipped_total}, {@code tickroom_frames_in_total}, {@code tickroom_bytes_in_total},
 * {@code tickroom_frames_out_total}, {@code tickroom_bytes_out_total}, {@code tickroom_errors_total{code}},
 * {@code tickroom_rate_limited_total}, {@code tickroom_slow_consumer_closes_total},
 * {@code tickroom_resumes_total{result}}, {@code tickroom_retries_answered_total},
 * {@code tickroom_redis_calls_seconds} (count and sum), {@code tickroom_redis_failures_total} (both 0 on a
 * single node), {@code tickroom_lanes_backlog}, {@code tickroom_lanes_refused_total},
 * {@code tickroom_push_outbox_waiting}, {@code tickroom_push_outbox_dropped_total},
 * {@code tickroom_push_outbox_failed_total}, {@code jvm_*}, {@code jetty_*}.
 */
public final class NodeMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    NodeMetrics(String nodeId) {
        registry.config().commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of everything registered. */
    public String scrape() {
        return registry.scrape();
    }

    void bindSessions(SessionRegistry sessions, Gateway gateway, Dispatcher play, ResumeService resume) {
        for (Namespace ns : Namespace.values()) {
            Gauge.builder("tickroom.sessions", sessions, s -> s.count(ns))
                    .tag("namespace", ns.path())
                    .description("open sessions")
                    .register(registry);
        }
        FunctionCounter.builder("tickroom.frames.in", gateway, Gateway::framesIn)
                .register(registry);
        FunctionCounter.builder("tickroom.bytes.in", gateway, Gateway::bytesIn).register(registry);
        FunctionCounter.builder("tickroom.frames.out", sessions, SessionRegistry::framesOut)
                .register(registry);
        FunctionCounter.builder("tickroom.bytes.out", sessions, SessionRegistry::bytesOut)
                .register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            if (code != ErrorCode.UNRECOGNIZED && code != ErrorCode.ERROR_CODE_UNSPECIFIED) {
                FunctionCounter.builder("tickroom.errors", play, d -> d.errors(code))
                        .tags(Tags.of("code", code.name()))
                        .description("error answers by code")
                        .register(registry);
            }
        }
        FunctionCounter.builder("tickroom.rate.limited", play, Dispatcher::rateLimited)
                .register(registry);
        FunctionCounter.builder("tickroom.slow.consumer.closes", sessions, SessionRegistry::slowConsumerCloses)
                .register(registry);
        FunctionCounter.builder("tickroom.resumes", resume, ResumeService::resumes)
                .tag("result", "ok")
                .register(registry);
        FunctionCounter.builder("tickroom.resumes", resume, ResumeService::failures)
                .tag("result", "failed")
                .register(registry);
        FunctionCounter.builder("tickroom.retries.answered", play, Dispatcher::retriesAnswered)
                .register(registry);
    }

    void bindLanes(SessionLanes lanes, Streams streams) {
        Gauge.builder("tickroom.lanes.backlog", lanes, SessionLanes::backlog)
                .description("session lanes waiting for or holding a lane thread")
                .register(registry);
        FunctionCounter.builder("tickroom.lanes.refused", lanes, SessionLanes::refusedFull)
                .description("requests refused RATE_LIMITED: their session had the maximum waiting")
                .register(registry);
        Gauge.builder("tickroom.push.outbox.waiting", streams, Streams::outboxWaiting)
                .description("pushes from tick threads waiting to be published")
                .register(registry);
        FunctionCounter.builder("tickroom.push.outbox.dropped", streams, Streams::outboxDropped)
                .description("pushes dropped: the outbox was full (policy: drop newest)")
                .register(registry);
        FunctionCounter.builder("tickroom.push.outbox.failed", streams, Streams::outboxFailed)
                .description("pushes from the outbox whose publish failed")
                .register(registry);
    }

    void bindGame(
            LobbyDirectory directory,
            LobbyService lobbies,
            MatchService matches,
            QuickMatchService queue,
            TickScheduler scheduler) {
        Gauge.builder("tickroom.lobbies", directory, d -> {
                    try {
                        return d.count();
                    } catch (RuntimeException e) {
                        return Double.NaN; // the directory is unreachable: no number rather than a wrong one
                    }
                })
                .register(registry);
        Gauge.builder("tickroom.lobby.held.seats", lobbies, LobbyService::heldSeats)
                .register(registry);
        Gauge.builder("tickroom.matches", matches, MatchService::matchCount).register(registry);
        Gauge.builder("tickroom.quickmatch.queued", queue, QuickMatchService::queuedCount)
                .register(registry);
        Timer duration = Timer.builder("tickroom.tick.duration")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        Timer lateness = Timer.builder("tickroom.tick.lateness")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(10_000))
                .maximumExpectedValue(Duration.ofSeconds(1))
                .register(registry);
        scheduler.observe((d, l) -> {
            duration.record(d, TimeUnit.NANOSECONDS);
            lateness.record(Math.max(0, l), TimeUnit.NANOSECONDS);
        });
        FunctionCounter.builder("tickroom.ticks.skipped", scheduler, TickScheduler::ticksSkipped)
                .register(registry);
    }

    void bindCluster(Cluster.Stats stats) {
        FunctionTimer.builder(
                        "tickroom.redis.calls",
                        stats,
                        Cluster.Stats::calls,
                        Cluster.Stats::totalNanos,
                        TimeUnit.NANOSECONDS)
                .description("Redis calls on request paths")
                .register(registry);
        FunctionCounter.builder("tickroom.redis.failures", stats, Cluster.Stats::failures)
                .register(registry);
    }
}
