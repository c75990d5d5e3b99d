package com.example.tug;

import io.tickroom.server.match.GameMode;
import io.tickroom.server.match.GameModeProvider;
import java.util.List;

/** What the node finds in this jar: one mode, "tug", 2 to 8 players, quick match of 2. */
public final class TugModes implements GameModeProvider {
    @Override
    public List<GameMode> modes() {
        return List.of(GameMode.of("tug", 2, 8, 2, TugGame::new));
    }
}
