/**
 * Typed configuration: one immutable record per component, defaults in one place, validated in
 * the compact constructor so that bad configuration stops start-up with a message naming the
 * setting. Built once by the composition root; read-only afterwards, so any thread may read it.
 */
package io.tickroom.server.config;
