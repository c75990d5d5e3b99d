package io.tickroom.bots;

/**
 * What a bot does, as a state machine of callbacks: {@link #start} runs once the bot is connected
 * and schedules everything else on the shared timer. Implementations keep per-bot state in
 * per-bot objects; one scenario object is shared by all bots.
 */
interface Scenario {
    void start(Bot bot);

    static Scenario named(String name) {
        return switch (name) {
            case "lobby" -> new LobbyScenario();
            case "quickmatch" -> new QuickMatchScenario();
            case "chat" -> new ChatScenario(false);
            case "reconnect-storm" -> new ChatScenario(true);
            case "churn" -> new ChurnScenario();
            case "idle" -> bot -> {};
            default -> throw new IllegalArgumentException("unknown scenario " + name);
        };
    }
}
