// The README's minimal client (examples/minimal-client.mjs), run as a newcomer runs it: two
// processes against the two real nodes (started by Maven's TypeScriptClientIT), one on each, so
// one of them follows its match over a second connection.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { mint, nodeSkip, URL_A, URL_B, user } from "./support.mjs";

const skip = nodeSkip(true);
const example = fileURLToPath(new URL("../examples/minimal-client.mjs", import.meta.url));

/** Runs the example with a token for `userId`; `line(re)` waits for an output line, `exited` for the end. */
function run(t, url, userId, ...args) {
  const child = spawn(process.execPath, [example, ...args], {
    env: { ...process.env, TICKROOM_URL: url, TICKROOM_TOKEN: mint(userId) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.after(() => child.kill());
  const lines = [];
  let stderr = "";
  const waiting = [];
  let buffered = "";
  child.stdout.setEncoding("utf8").on("data", (chunk) => {
    buffered += chunk;
    let i;
    while ((i = buffered.indexOf("\n")) >= 0) {
      lines.push(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
      waiting.forEach((w) => w());
    }
  });
  child.stderr.setEncoding("utf8").on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.on("exit", (code) => resolve({ code, lines, stderr })));
  const line = (re, ms = 10_000) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no line ${re} within ${ms} ms: ${JSON.stringify(lines)} ${stderr}`)), ms);
    const check = () => {
      const m = lines.map((l) => re.exec(l)).find(Boolean);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    waiting.push(check);
    check();
  });
  return { line, exited };
}

const within = (p, ms, what) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error(what)), ms))]);

test("the minimal client plays a duel with another one across two nodes, then leaves", { skip }, async (t) => {
  const [aliceId, bobId] = [user("alice"), user("bob")];
  const alice = run(t, URL_A, aliceId);
  const [, lobbyId] = await alice.line(/^lobby (\S+)$/);
  const bob = run(t, URL_B, bobId, lobbyId);
  const [a, b] = await within(Promise.all([alice.exited, bob.exited]), 30_000, "the examples did not finish within 30 s");
  for (const [who, r] of [["alice", a], ["bob", b]]) {
    assert.equal(r.code, 0, `${who} exited ${r.code}: ${r.lines.join("\n")}\n${r.stderr}`);
  }
  assert.equal(a.lines[0], `welcome ${aliceId}`);
  assert.equal(b.lines[0], `welcome ${bobId}`);
  assert.equal(b.lines[1], `lobby ${lobbyId}`);
  for (const r of [a, b]) {
    // each sees both chat lines, and the match on alice's node (the host's: a one-one tie)
    assert.ok(r.lines.includes(`chat ${aliceId}: hello from ${aliceId}`), r.lines.join("\n"));
    assert.ok(r.lines.includes(`chat ${bobId}: hello from ${bobId}`), r.lines.join("\n"));
    assert.ok(r.lines.some((l) => /^match \S+ on (\S+)$/.exec(l)?.[1] === URL_A), r.lines.join("\n"));
    const [, n, x0, x1] = /^snapshots (\d+), x (\S+) -> (\S+)$/.exec(r.lines.at(-2)) ?? [];
    assert.equal(n, "20", r.lines.join("\n"));
    assert.ok(Number(x1) > Number(x0), `its inputs moved it: ${r.lines.at(-2)}`);
    assert.equal(r.lines.at(-1), "left");
  }
});
