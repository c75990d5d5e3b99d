// Test support: tokens minted with the node's secret, clients on Node's `ws`, waiting on events.
import { createHmac } from "node:crypto";
import WebSocket from "ws";
import { Backoff, TickroomClient } from "../dist/index.js";

export const SECRET = process.env.TICKROOM_SECRET ?? "";
export const URL_A = process.env.TICKROOM_PLAY_URL_A ?? "";
export const URL_B = process.env.TICKROOM_PLAY_URL_B ?? "";

/**
 * Whether the tests that need a real node can run. Maven's TypeScriptClientIT starts the nodes
 * and sets TICKROOM_REQUIRE_NODE=1, so there a missing node fails instead of skipping.
 */
export function nodeSkip(needsTwo = false) {
  const missing = !SECRET || !URL_A || (needsTwo && !URL_B);
  if (missing && process.env.TICKROOM_REQUIRE_NODE === "1") {
    throw new Error("TICKROOM_SECRET / TICKROOM_PLAY_URL_A / TICKROOM_PLAY_URL_B are not set");
  }
  return missing ? "no node: run through ./mvnw verify (TypeScriptClientIT) or set TICKROOM_PLAY_URL_A and TICKROOM_SECRET" : false;
}

const b64 = (x) => Buffer.from(typeof x === "string" ? x : JSON.stringify(x)).toString("base64url");

/** An HS256 token with the claims the server reads (sub, name, roles, exp). */
export function mint(user, { name = `Name of ${user}`, roles = [], ttlMs = 3_600_000 } = {}) {
  const now = Date.now();
  const body = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: user, name, roles, iat: Math.floor(now / 1000), exp: Math.floor((now + ttlMs) / 1000) })}`;
  return `${body}.${createHmac("sha256", SECRET).update(body).digest("base64url")}`;
}

let runs = 0;
/** A fresh user id per test run, so tests never meet each other's users. */
export function user(name) {
  return `${name}-${process.pid}-${++runs}`;
}

export const wsSocket = (url) => new WebSocket(url);

/** A connected client on `url`; closed by the test's `after`. */
export async function connect(t, userId, url = URL_A, extra = {}) {
  const client = new TickroomClient({
    url,
    token: () => mint(userId),
    socket: wsSocket,
    backoff: new Backoff(20, 200, 50),
    requestTimeoutMs: 5_000,
    ...extra,
  });
  t.after(() => client.close());
  await client.connect();
  return client;
}

/** Resolves with the first push of `type` that satisfies `pred`, or fails after `ms`. */
export function nextPush(client, type, pred = () => true, ms = 5_000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`no ${type} push within ${ms} ms`));
    }, ms);
    client.on(type, (value, frame) => {
      if (!done && pred(value, frame)) {
        done = true;
        clearTimeout(timer);
        resolve(value);
      }
    });
  });
}

/** Resolves when `listenerName` of the connection listener is called, with its arguments. */
export function nextConnectionEvent(client, listenerName, ms = 5_000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      done = true;
      reject(new Error(`no ${listenerName} within ${ms} ms`));
    }, ms);
    client.onConnection({
      [listenerName]: (...args) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          resolve(args);
        }
      },
    });
  });
}

/** Waits until `cond()` holds (polling a condition the test has no event for), or fails after `ms`. */
export async function until(cond, what, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}
