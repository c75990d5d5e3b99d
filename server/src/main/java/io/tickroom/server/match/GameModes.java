package io.tickroom.server.match;

import io.tickroom.protocol.v1.ModeInfo;
import io.tickroom.protocol.v1.ModeList;
import io.tickroom.server.config.ConfigException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The modes a node serves, by name, and where each came from. Built once by the composition
 * root (from {@link #discover} or a list); read-only after, so any thread may read it.
 * Server-internal: not part of the game API.
 */
public final class GameModes {
    private static final String SERVICES = "META-INF/services/" + GameModeProvider.class.getName();

    private final Map<String, GameMode> byName;
    private final Map<String, String> origins;
    private final ModeList listing;

    /** These modes, registered in code (tests, benchmarks, an embedding {@code main}). */
    public GameModes(Collection<GameMode> modes) {
        this(origins(modes));
    }

    private GameModes(Map<GameMode, String> modes) {
        Map<String, GameMode> m = new LinkedHashMap<>();
        Map<String, String> from = new LinkedHashMap<>();
        for (Map.Entry<GameMode, String> e : modes.entrySet()) {
            GameMode g = e.getKey();
            if (m.put(g.name(), g) != null) {
                throw new ConfigException("mode " + g.name() + ": registered twice");
            }
            from.put(g.name(), e.getValue());
        }
        ConfigException.require(!m.isEmpty(), "modes", "register at least one game mode");
        this.byName = Collections.unmodifiableMap(m);
        this.origins = Map.copyOf(from);
        ModeList.Builder list = ModeList.newBuilder();
        m.values().stream()
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .forEach(g -> list.addModes(ModeInfo.newBuilder()
                        .setName(g.name())
                        .setMinPlayers(g.minPlayers())
                        .setMaxPlayers(g.maxPlayers())
                        .setTickRateHz(g.tickRateHz())
                        .setQuickMatchPlayers(g.quickMatchPlayers())
                        .setQuickMatch(g.quickMatch())));
        this.listing = list.build();
    }

    private static Map<GameMode, String> origins(Collection<GameMode> modes) {
        Map<GameMode, String> m = new LinkedHashMap<>();
        for (GameMode g : modes) {
            if (m.put(g, "registered in code") != null) {
                throw new ConfigException("mode " + g.name() + ": registered twice");
            }
        }
        return m;
    }

    /**
     * Every mode of every {@link GameModeProvider} that {@code loader} finds
     * ({@link ServiceLoader}): the server's own (arena) and those of the jars {@code --games}
     * put on the loader. Called once at start-up. Refuses, with a {@link ConfigException} naming
     * the provider class, its jar and the setting: a provider that cannot be loaded or made, one
     * whose {@code modes()} throws or returns nothing or an invalid mode, and two modes of the
     * same name (naming both jars).
     */
    public static GameModes discover(ClassLoader loader) {
        refuseOneProviderInTwoJars(loader);
        Map<GameMode, String> found = new LinkedHashMap<>();
        Map<String, String> ownerOf = new LinkedHashMap<>();
        try {
            for (ServiceLoader.Provider<GameModeProvider> p :
                    ServiceLoader.load(GameModeProvider.class, loader).stream().toList()) {
                String owner = p.type().getName() + " in " + jarOf(p.type());
                List<GameMode> modes;
                try {
                    modes = p.get().modes();
                } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                    throw new ConfigException("--games: " + owner + ": " + messageOf(e));
                }
                if (modes == null || modes.isEmpty() || modes.stream().anyMatch(java.util.Objects::isNull)) {
                    throw new ConfigException("--games: " + owner + ": modes() returned no modes or a null mode");
                }
                for (GameMode g : modes) {
                    String other = ownerOf.putIfAbsent(g.name(), owner);
                    if (other != null) {
                        throw new ConfigException("--games: mode '" + g.name() + "' is served twice: by " + other
                                + " and by " + owner + "; remove one of them from --games / TICKROOM_GAMES");
                    }
                    found.put(g, owner);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new ConfigException("--games: a game provider cannot be loaded (" + messageOf(e)
                    + "); providers are listed in " + servicesFiles(loader));
        }
        if (found.isEmpty()) {
            throw new ConfigException("--games: no game modes found: no " + SERVICES + " on the class path");
        }
        return new GameModes(found);
    }

    /**
     * Two jars naming the same provider class (two versions of one game, say) would serve only
     * the first one's, silently: refused, naming both.
     */
    private static void refuseOneProviderInTwoJars(ClassLoader loader) {
        Map<String, String> listedIn = new LinkedHashMap<>();
        try {
            for (URL u : Collections.list(loader.getResources(SERVICES))) {
                String where = where(u);
                try (var in = new java.io.BufferedReader(
                        new java.io.InputStreamReader(u.openStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        String name = line.replaceFirst("#.*", "").strip();
                        String other = name.isEmpty() ? null : listedIn.putIfAbsent(name, where);
                        if (other != null && !other.equals(where)) {
                            throw new ConfigException("--games: game provider " + name + " is in two jars, " + other
                                    + " and " + where + "; remove one of them from --games / TICKROOM_GAMES");
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new ConfigException("--games: cannot read " + SERVICES + ": " + e.getMessage());
        }
    }

    /** The jar or folder a services file was read from. */
    private static String where(URL services) {
        String u = services.toString();
        String inside = u.startsWith("jar:")
                ? u.substring(4, u.lastIndexOf("!/"))
                : u.substring(0, u.length() - SERVICES.length());
        try {
            return Path.of(new java.net.URI(inside)).toString();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return inside;
        }
    }

    private static String messageOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + t;
        return e instanceof IllegalArgumentException ? m : e.getClass().getSimpleName() + ": " + m;
    }

    /** The jar (or classes folder) a class was loaded from. */
    static String jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "an unknown location";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return source.getLocation().toString();
        }
    }

    private static List<String> servicesFiles(ClassLoader loader) {
        List<String> out = new ArrayList<>();
        try {
            for (URL u : Collections.list(loader.getResources(SERVICES))) {
                out.add(u.toString());
            }
        } catch (IOException e) {
            out.add("(cannot list: " + e.getMessage() + ")");
        }
        return out;
    }

    public Optional<GameMode> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Every mode, in registration order. */
    public Collection<GameMode> all() {
        return byName.values();
    }

    /** The mode names, in registration order (what {@code welcome.modes} lists). */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** Where a mode came from: its provider and jar, or "registered in code". */
    public String origin(String name) {
        return origins.getOrDefault(name, "unknown");
    }

    /** One line for the start-up log: the mode's settings and where it came from. */
    public String describe(GameMode g) {
        return g.name() + " (" + g.minPlayers() + "-" + g.maxPlayers() + " players, " + g.tickRateHz() + " Hz, "
                + (g.quickMatch() ? "quick match of " + g.quickMatchPlayers() : "no quick match") + ") from "
                + origin(g.name());
    }

    /** The {@code mode_list} answer: every mode, sorted by name. */
    ModeList listing() {
        return listing;
    }
}
