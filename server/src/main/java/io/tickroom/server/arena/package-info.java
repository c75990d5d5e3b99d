/**
 * The reference game, "arena": players move on a 2-D field from their inputs. It shows the
 * {@link io.tickroom.server.match.MatchLogic} API in use; the bot client and the benchmarks play
 * it. Runs on its match's tick thread only, like every game.
 */
package io.tickroom.server.arena;
