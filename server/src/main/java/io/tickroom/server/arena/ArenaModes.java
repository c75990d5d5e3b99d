package io.tickroom.server.arena;

import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModeProvider;
import java.util.List;

/**
 * Arena as a game plugin: the node finds it through {@code META-INF/services}, exactly as it finds
 * a studio's game on {@code --games}; nothing registers it by hand.
 */
public final class ArenaModes implements GameModeProvider {
    /** Made by {@link java.util.ServiceLoader}. */
    public ArenaModes() {}

    @Override
    public List<GameMode> modes() {
        return ArenaGame.standardModes();
    }
}
