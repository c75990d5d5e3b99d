package io.tickroom.bots;

import java.net.URI;
import java.util.List;

/**
 * One swarm run.
 *
 * @param urls           node URLs; bot i connects to {@code urls[i % n]} (spread over a cluster)
 * @param bots           how many bots
 * @param rampUpMs       bots start evenly over this long
 * @param durationMs     how long the swarm runs after the first bot starts
 * @param scenario       lobby, quickmatch, chat, churn, reconnect-storm or idle (connect and wait)
 * @param seed           seeds every bot's randomness (bot i uses seed + i)
 * @param secret         the shared HS256 secret tokens are minted with
 * @param mode           the game mode bots play
 * @param chatPerSecond  chat lines per bot per second in the chat scenario
 * @param inputHz        match inputs per bot per second
 * @param requestTimeoutMs per-request timeout
 * @param lobbySize      seats of the lobbies the chat scenarios create (over 16: mode "lounge")
 */
public record SwarmConfig(
        List<URI> urls,
        int bots,
        long rampUpMs,
        long durationMs,
        String scenario,
        long seed,
        String secret,
        String mode,
        double chatPerSecond,
        int inputHz,
        long requestTimeoutMs,
        int lobbySize) {

    public static final List<String> SCENARIOS =
            List.of("lobby", "quickmatch", "chat", "churn", "reconnect-storm", "idle");

    public SwarmConfig {
        urls = List.copyOf(urls);
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("--url: at least one node URL");
        }
        if (bots < 1) {
            throw new IllegalArgumentException("--bots must be >= 1");
        }
        if (!SCENARIOS.contains(scenario)) {
            throw new IllegalArgumentException("--scenario must be one of " + SCENARIOS + ", was " + scenario);
        }
        if (secret == null || secret.length() < 32) {
            throw new IllegalArgumentException("--secret (or TICKROOM_JWT_SECRET) of at least 32 bytes is required");
        }
        if (lobbySize < 2 || lobbySize > 1024) {
            throw new IllegalArgumentException("--lobby-size must be 2..1024");
        }
        if (chatPerSecond <= 0 || inputHz < 0 || durationMs < 1 || rampUpMs < 0) {
            throw new IllegalArgumentException("--chat-rate > 0, --input-hz >= 0, --duration > 0, --ramp-up >= 0");
        }
    }
}
