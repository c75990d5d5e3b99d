/**
 * The composition root: {@link io.tickroom.server.TickroomNode} builds every component with
 * constructors in dependency order and owns start and stop; {@link io.tickroom.server.ServerMain}
 * turns flags and environment into a {@link io.tickroom.server.config.ServerConfig} and runs it.
 */
package io.tickroom.server;
