// Reconnection, timeouts and closes with a fake clock and fake sockets: no server, no real waits.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Backoff, ConnectionLostError, QueueFullError, RequestTimeoutError, TickroomClient } from "../dist/index.js";
import { FakeClock, factory, settle } from "./fakes.mjs";

function client(extra = {}) {
  const clock = new FakeClock();
  const f = factory();
  const c = new TickroomClient({ url: "ws://node-a:8080/ws/play", token: "tok", socket: f.make, clock, ...extra });
  return { c, clock, f };
}

test("backoff ceilings double from the base up to the cap", () => {
  const b = new Backoff(250, 30_000, 0);
  assert.deepEqual([1, 2, 3, 4, 5, 8, 100].map((n) => b.ceilingMs(n)), [250, 500, 1000, 2000, 4000, 30_000, 30_000]);
  assert.equal(b.delayMs(3, () => 0), 0);
  assert.equal(b.delayMs(3, () => 0.9999999), 1000);
  assert.equal(new Backoff(10, 100, 3).exhausted(4), true);
  assert.equal(new Backoff(10, 100, 0).exhausted(1_000), false);
  assert.throws(() => new Backoff(0, 10, 0), RangeError);
});

test("every reconnect delay lies within [0, min(cap, base × 2^(n-1))] and the client gives up after maxAttempts", async () => {
  let r = 0;
  const randoms = [0.999999, 0, 0.5, 0.999999, 0.25, 0.999999];
  const { c, clock, f } = client({ backoff: new Backoff(100, 1_000, 6), random: () => randoms[r++ % randoms.length] });
  const seen = [];
  let gaveUp = null;
  c.onConnection({ reconnecting: (n, d) => seen.push([n, d]), gaveUp: (why) => (gaveUp = why) });
  const first = c.connect();
  await settle();
  const startMs = clock.now();
  for (let i = 0; i < 7; i++) {
    f.last().refuse();
    const delays = clock.pendingDelays();
    if (i < 6) {
      assert.equal(delays.length, 1, "one reconnect timer pending");
      clock.advance(delays[0]);
      await settle();
    }
  }
  const b = new Backoff(100, 1_000, 6);
  assert.equal(seen.length, 6);
  seen.forEach(([n, d], i) => {
    assert.equal(n, i + 1);
    assert.ok(d >= 0 && d <= b.ceilingMs(n), `attempt ${n}: ${d} ms within [0, ${b.ceilingMs(n)}]`);
  });
  assert.deepEqual(seen.map(([, d]) => d), [100, 0, 200, 800, 250, 1000], "full jitter: random × ceiling");
  assert.equal(clock.now() - startMs, 100 + 0 + 200 + 800 + 250 + 1000, "time moved only by the delays");
  assert.equal(f.sockets.length, 7, "the first connect and six reconnects");
  assert.match(gaveUp, /gave up after 6 attempts/);
  await assert.rejects(first, ConnectionLostError);
});

test("a request queued while connecting times out after requestTimeoutMs and is never sent", async () => {
  const { c, clock, f } = client({ requestTimeoutMs: 2_000 });
  c.connect();
  await settle();
  const answer = c.request("ping", { clientTimeMs: 1n });
  clock.advance(2_000);
  await assert.rejects(answer, RequestTimeoutError);
  f.last().open();
  f.last().welcome();
  assert.deepEqual(f.last().sent, [], "nothing flushed after the timeout");
});

test("queued requests flush in order after the welcome and get their answers", async () => {
  const { c, f } = client();
  c.connect();
  await settle();
  const a = c.request("ping", { clientTimeMs: 7n });
  const b = c.request("listLobbies", { mode: "arena" });
  f.last().open();
  f.last().welcome();
  const [pa, pb] = f.last().sent;
  assert.equal(pa.body.case, "ping");
  assert.equal(pb.body.case, "listLobbies");
  f.last().reply(pb.requestId, { case: "lobbyList", value: { nextPageToken: "" } });
  f.last().reply(pa.requestId, { case: "pong", value: { clientTimeMs: 7n, serverTimeMs: 9n } });
  assert.equal((await a).clientTimeMs, 7n);
  assert.deepEqual((await b).lobbies, []);
});

test("disconnected with a full queue, a request fails at once with QueueFullError", async () => {
  const { c } = client({ maxQueuedFrames: 2 });
  c.connect();
  await settle();
  c.request("ping").catch(() => undefined);
  c.request("ping").catch(() => undefined);
  await assert.rejects(c.request("ping"), QueueFullError);
  c.close();
});

test("without reconnection a sent, unanswered request is lost when the connection drops", async () => {
  const { c, f } = client({ reconnect: false });
  c.connect();
  await settle();
  f.last().open();
  f.last().welcome();
  const answer = c.request("ping");
  f.last().serverClose(1006);
  await assert.rejects(answer, ConnectionLostError);
});

test("a goodbye's reconnect_url is where the next connection goes, and it resumes there", async () => {
  const { c, clock, f } = client({ random: () => 0 });
  c.connect();
  await settle();
  f.last().open();
  f.last().welcome({ resumeToken: "rt-a" });
  f.last().push({ seq: 4n, stream: "user:u", body: { case: "goodbye", value: { reason: "server draining", reconnectUrl: "ws://node-b:8080/ws/play" } } });
  f.last().serverClose(1001, "server draining");
  clock.advance(0);
  await settle();
  assert.match(f.last().url, /^ws:\/\/node-b:8080\/ws\/play\?resume=1&access_token=tok$/);
  f.last().open();
  f.last().welcome({ resumeToken: "rt-b" });
  const resume = f.last().sent[0];
  assert.equal(resume.body.case, "resume");
  assert.equal(resume.body.value.resumeToken, "rt-a");
  assert.deepEqual(resume.body.value.lastSeqs, { "user:u": 4n });
  c.close();
});

test("a kick (4003) gives up instead of reconnecting", async () => {
  const { c, clock, f } = client();
  let gave = null;
  c.onConnection({ gaveUp: (why, code) => (gave = code) });
  c.connect();
  await settle();
  f.last().open();
  f.last().welcome();
  f.last().serverClose(4003, "kicked by an operator");
  clock.advance(60_000);
  await settle();
  assert.equal(gave, 4003);
  assert.equal(f.sockets.length, 1, "no reconnect");
});

test("a push whose seq was seen already is dropped, once only", async () => {
  const { c, f } = client();
  const texts = [];
  c.on("chat", (m) => texts.push(m.text));
  c.connect();
  await settle();
  f.last().open();
  f.last().welcome();
  for (const [seq, text] of [[1n, "a"], [2n, "b"], [2n, "b"], [1n, "a"], [3n, "c"]]) {
    f.last().push({ seq, stream: "lobby:L", body: { case: "chat", value: { text } } });
  }
  assert.deepEqual(texts, ["a", "b", "c"]);
  assert.equal(c.stats.duplicatesDropped, 2);
  c.close();
});

test("the token is refreshed before it expires, with a fresh one from the supplier", async () => {
  let n = 0;
  const { c, clock, f } = client({ token: () => `tok-${++n}` });
  const refreshed = [];
  c.onConnection({ tokenRefreshed: (at) => refreshed.push(at) });
  c.connect();
  await settle();
  f.last().open();
  f.last().welcome({ serverTimeMs: 1_000_000n, tokenExpiresAtMs: 1_000_000n + 3_600_000n });
  clock.advance(3_600_000 - 60_000 - 1);
  await settle();
  assert.equal(f.last().sent.length, 0, "not yet: a minute before expiry");
  clock.advance(1);
  await settle();
  const r = f.last().sent[0];
  assert.equal(r.body.case, "refreshToken");
  assert.equal(r.body.value.token, "tok-2");
  f.last().reply(r.requestId, { case: "welcome", value: { tokenExpiresAtMs: 1_000_000n + 7_200_000n } });
  await settle();
  assert.deepEqual(refreshed, [1_000_000 + 7_200_000]);
  c.close();
});
