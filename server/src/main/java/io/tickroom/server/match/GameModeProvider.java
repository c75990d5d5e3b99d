package io.tickroom.server.match;

import java.util.List;

/**
 * The plugin SPI: how a jar adds game modes to a node, by the JVM's own convention
 * ({@link java.util.ServiceLoader}). A studio implements it in a public class with a public
 * no-argument constructor, names that class in its jar's
 * {@code META-INF/services/io.tickroom.server.match.GameModeProvider}, and starts the node with
 * {@code --games path/to/game.jar} (or a folder of jars; also the config-file key {@code games} and
 * {@code TICKROOM_GAMES}). The reference game, arena, is a provider like any other.
 *
 * <p>The node instantiates every provider it finds once, at start-up, on the starting thread,
 * and calls {@link #modes()} once. It refuses to start, with a message naming the provider's jar,
 * when a provider cannot be instantiated, when {@code modes()} throws or returns an invalid mode,
 * and when two modes (of one provider or of two) have the same name.
 *
 * @since 0.2
 */
public interface GameModeProvider {

    /**
     * The modes this provider serves, each with a name unique on the node. Called once at
     * start-up; must not block on the network. A returned mode's {@link GameMode#logic()} is
     * then called once per match.
     *
     * @return the modes, at least one
     */
    List<GameMode> modes();
}
