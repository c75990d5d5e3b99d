package io.tickroom.bots;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/bots}: the bot swarm CLI. Exit status 1 when an SLO is missed, 2 on bad flags. */
@Command(
        name = "bots",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Drive headless Tickroom players against one node or a cluster and report like a load tester.")
public final class BotSwarm implements Callable<Integer> {
    @Option(
            names = "--url",
            split = ",",
            defaultValue = "ws://127.0.0.1:8080/ws/play",
            description = "Node URL(s); bots spread over them (${DEFAULT-VALUE}).")
    List<URI> urls;

    @Option(names = "--bots", defaultValue = "100", description = "Bots (${DEFAULT-VALUE}).")
    int bots;

    @Option(
            names = "--ramp-up",
            converter = Durations.class,
            defaultValue = "PT10S",
            description = "Start bots evenly over this long, e.g. 15s, 2m, PT15S (${DEFAULT-VALUE}).")
    Duration rampUp;

    @Option(
            names = "--duration",
            converter = Durations.class,
            defaultValue = "PT60S",
            description = "Run this long, e.g. 15s, 2m, PT15S (${DEFAULT-VALUE}).")
    Duration duration;

    @Option(
            names = "--scenario",
            defaultValue = "lobby",
            description =
                    "lobby, quickmatch, chat, churn, reconnect-storm, idle (connect and wait) (${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of every bot's randomness (${DEFAULT-VALUE}).")
    long seed;

    @Option(
            names = "--secret",
            defaultValue = "${env:TICKROOM_JWT_SECRET:-tickroom-dev-secret-change-me-0123456789}",
            description =
                    "Shared HS256 secret to mint bot tokens (env TICKROOM_JWT_SECRET; default: the dev secret of scripts/run-server).")
    String secret;

    @Option(names = "--mode", defaultValue = "arena-sprint", description = "Game mode bots play (${DEFAULT-VALUE}).")
    String mode;

    @Option(
            names = "--chat-rate",
            defaultValue = "1",
            description = "Chat lines per bot per second in 'chat' (${DEFAULT-VALUE}).")
    double chatRate;

    @Option(
            names = "--lobby-size",
            defaultValue = "16",
            description = "Seats of chat lobbies; over 16 uses mode lounge (${DEFAULT-VALUE}).")
    int lobbySize;

    @Option(
            names = "--input-hz",
            defaultValue = "10",
            description = "Match inputs per bot per second (${DEFAULT-VALUE}).")
    int inputHz;

    @Option(
            names = "--request-timeout",
            converter = Durations.class,
            defaultValue = "PT10S",
            description = "Per-request timeout (${DEFAULT-VALUE}).")
    Duration requestTimeout;

    @Option(names = "--report", description = "Write the JSON report here.")
    Path report;

    @Option(names = "--slo", description = "Thresholds, e.g. 'p99(join_lobby)<50ms,error_rate<0.1%%'.")
    String slo;

    @Override
    public Integer call() throws Exception {
        SwarmConfig config;
        Slo gates;
        try {
            config = new SwarmConfig(
                    urls,
                    bots,
                    rampUp.toMillis(),
                    duration.toMillis(),
                    scenario,
                    seed,
                    secret,
                    mode,
                    chatRate,
                    inputHz,
                    requestTimeout.toMillis(),
                    lobbySize);
            gates = Slo.parse(slo);
        } catch (IllegalArgumentException e) {
            System.err.println("bots: " + e.getMessage());
            return 2;
        }
        Report r = Swarm.run(config, System.out);
        r.sloMissed = gates.evaluate(r);
        System.out.print(r.table());
        if (report != null) {
            Files.writeString(report, r.json());
            System.out.println("report written to " + report);
        }
        return r.sloMissed.isEmpty() ? 0 : 1;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BotSwarm()).execute(args));
    }
}
