package io.tickroom.server.match;

import io.tickroom.server.config.ConfigException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class loader {@code --games PATH} adds: a studio's game jar, or every {@code *.jar} of a
 * folder (not its subfolders), over the server's own classes (parent first, so a game always
 * sees the server's API and protobuf, whatever its jar bundles). Called once at start-up.
 * Server-internal: not part of the game API.
 */
public final class GameJars {
    private GameJars() {}

    /**
     * {@code parent} when {@code games} is null or blank; else a loader over the jar or the
     * folder's jars, sorted by name. Refuses (a {@link ConfigException} naming the setting) a path
     * that does not exist, a file that is not a {@code .jar}, and a folder without one.
     */
    public static ClassLoader open(String games, ClassLoader parent) {
        if (games == null || games.isBlank()) {
            return parent;
        }
        Path path = Path.of(games.strip());
        List<Path> jars = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                        .sorted()
                        .forEach(jars::add);
            } catch (IOException e) {
                throw new ConfigException(
                        "--games / TICKROOM_GAMES: cannot read folder " + path + ": " + e.getMessage());
            }
            ConfigException.require(!jars.isEmpty(), "--games / TICKROOM_GAMES", "folder " + path + " holds no .jar");
        } else if (Files.isRegularFile(path)) {
            ConfigException.require(
                    path.getFileName().toString().endsWith(".jar"),
                    "--games / TICKROOM_GAMES",
                    path + " is not a .jar (give a jar or a folder of jars)");
            jars.add(path);
        } else {
            throw new ConfigException("--games / TICKROOM_GAMES: no such file or folder: " + path.toAbsolutePath());
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new ConfigException("--games / TICKROOM_GAMES: " + jars.get(i) + ": " + e.getMessage());
            }
        }
        return new URLClassLoader("tickroom-games", urls, parent);
    }
}
