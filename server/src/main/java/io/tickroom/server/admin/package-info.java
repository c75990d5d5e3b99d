/**
 * Operators: the {@code /ws/admin} request handlers ({@link io.tickroom.server.admin.AdminService},
 * run on the session's request thread, cluster-wide answers completed by the node-call thread) and
 * the command-line client ({@link io.tickroom.server.admin.AdminCli}, one caller thread, the JDK's
 * WebSocket client underneath).
 */
package io.tickroom.server.admin;
