package io.tickroom.server.match;

import io.tickroom.server.config.ConfigException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The modes a node serves, by name. Built once by the composition root; read-only after. */
public final class GameModes {
    private final Map<String, GameMode> byName;

    public GameModes(Collection<GameMode> modes) {
        Map<String, GameMode> m = new LinkedHashMap<>();
        for (GameMode g : modes) {
            if (m.put(g.name(), g) != null) {
                throw new ConfigException("mode " + g.name() + ": registered twice");
            }
        }
        ConfigException.require(!m.isEmpty(), "modes", "register at least one game mode");
        this.byName = Map.copyOf(m);
    }

    public Optional<GameMode> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Collection<GameMode> all() {
        return byName.values();
    }
}
