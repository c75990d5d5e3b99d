/**
 * The TypeScript client's Node tests and the browser tests (headless Chromium driving the demo
 * page and the operator console), run as subprocesses against real nodes started here. Each test
 * owns its nodes and processes and stops them.
 */
package io.tickroom.browser;
