/**
 * Match rooms. The public game API, stable since 0.2, is {@link io.tickroom.server.match.MatchLogic}
 * (what a game implements), {@link io.tickroom.server.match.MatchContext},
 * {@link io.tickroom.server.match.Player}, {@link io.tickroom.server.match.Result},
 * {@link io.tickroom.server.match.GameMode} and the plugin SPI
 * {@link io.tickroom.server.match.GameModeProvider}: a game compiles against these and protobuf
 * alone. The rest (the match runner, seats and signed seat tokens, reconnection grace, mode
 * discovery) is the server's own, public only where another server package needs it, and may
 * change. All of a match's state is owned by one tick thread; other threads reach it only
 * through the match's bounded inbox.
 */
package io.tickroom.server.match;
