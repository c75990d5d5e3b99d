// Against a real node (started by Maven's TypeScriptClientIT): typed answers, typed errors (and
// resume refusals' typed reasons), 64-bit values, resume with every missed push replayed exactly once in order, a request retried
// after the resume, token refresh.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ErrorCode, ResumeFailedReason, TickroomError, TickroomClient, Backoff } from "../dist/index.js";
import { connect, mint, nextConnectionEvent, nextPush, nodeSkip, URL_A, user, wsSocket } from "./support.mjs";

const skip = nodeSkip();

test("a request resolves with its one typed answer, 64-bit values intact", { skip }, async (t) => {
  const alice = await connect(t, user("alice"));
  assert.ok(alice.welcome.sessionId, "connect resolves with the welcome");
  const big = 2n ** 60n + 7n; // beyond 2^53: a JavaScript number would lose it
  const pong = await alice.request("ping", { clientTimeMs: big });
  assert.equal(pong.clientTimeMs, big);
  assert.equal(typeof pong.serverTimeMs, "bigint");
  const lobby = await alice.request("createLobby", { name: "typed", mode: "arena", maxPlayers: 4 });
  assert.equal(lobby.name, "typed");
  assert.equal(lobby.members.length, 1);
  assert.equal(typeof lobby.version, "bigint");
  const list = await alice.request("listLobbies", { mode: "arena", pageSize: 100 });
  assert.ok(list.lobbies.some((l) => l.lobbyId === lobby.lobbyId), "listed");
  assert.equal((await alice.request("leaveLobby", { lobbyId: lobby.lobbyId })).$typeName, "tickroom.v1.Ok");
});

test("an error answer rejects with a TickroomError carrying the wire code", { skip }, async (t) => {
  const alice = await connect(t, user("alice"));
  const missing = await alice.request("joinLobby", { lobbyId: "no-such-lobby" }).catch((e) => e);
  assert.ok(missing instanceof TickroomError, String(missing));
  assert.equal(missing.code, ErrorCode.NOT_FOUND);
  assert.equal(missing.codeName, "NOT_FOUND");
  assert.equal(missing.requestType, "joinLobby");
  const bad = await alice.request("createLobby", { name: "x", mode: "arena", maxPlayers: 500 }).catch((e) => e);
  assert.equal(bad.code, ErrorCode.INVALID_ARGUMENT);
  assert.match(bad.serverMessage, /^max_players/);
});

test("a refused resume says why in a typed reason, not only in its message", { skip }, async (t) => {
  const alice = await connect(t, user("alice"));
  const refused = await alice.request("resume", { resumeToken: "garbage" }).catch((e) => e);
  assert.ok(refused instanceof TickroomError, String(refused));
  assert.equal(refused.code, ErrorCode.RESUME_FAILED);
  assert.equal(refused.resumeFailedReason, ResumeFailedReason.RESUME_UNKNOWN);
  assert.match(refused.serverMessage, /^unknown/);
  const other = await alice.request("joinLobby", { lobbyId: "no-such-lobby" }).catch((e) => e);
  assert.equal(other.resumeFailedReason, ResumeFailedReason.RESUME_FAILED_REASON_UNSPECIFIED);
});

test("a dropped client resumes by itself: every missed push once, in order, and its unanswered request answered once", { skip }, async (t) => {
  const aliceId = user("alice");
  const bobId = user("bob");
  // alice's way back can be held shut, so that what she misses is known exactly, and a frame she
  // sends can be lost on the way, as on a dying network
  let gateOpen = true;
  let losing = false;
  let refusedOnce;
  const firstRefusal = new Promise((r) => (refusedOnce = r));
  const alice = await connect(t, aliceId, URL_A, {
    socket: (url) => {
      if (gateOpen) {
        const ws = wsSocket(url);
        const send = ws.send.bind(ws);
        ws.send = (bytes) => (losing ? undefined : send(bytes));
        return ws;
      }
      const refused = { binaryType: "", onopen: null, onmessage: null, onclose: null, onerror: null, send() {}, close() {} };
      setImmediate(() => {
        refused.onclose?.({ code: 1006, reason: "held" });
        refusedOnce();
      });
      return refused;
    },
  });
  const bob = await connect(t, bobId);
  const lobby = await alice.request("createLobby", { name: "resume", mode: "arena", maxPlayers: 4 });
  await bob.request("joinLobby", { lobbyId: lobby.lobbyId });
  const seen = [];
  alice.on("chat", (m, f) => seen.push(`${f.seq}:${m.text}`));
  const before = nextPush(alice, "chat", (m) => m.text === "before"); // pushes come before answers
  await alice.request("sendChat", { lobbyId: lobby.lobbyId, text: "before" });
  await before;

  const away = nextConnectionEvent(alice, "disconnected");
  gateOpen = false;
  // sent (and lost), then the connection dies: the client keeps it unanswered for after the resume
  losing = true;
  const unanswered = alice.request("sendChat", { lobbyId: lobby.lobbyId, text: "sent as it dropped" });
  alice.dropConnection();
  await away;
  losing = false;
  for (let i = 1; i <= 5; i++) {
    await bob.request("sendChat", { lobbyId: lobby.lobbyId, text: `missed ${i}` });
  }
  await firstRefusal; // alice tried to come back while held
  const resumed = nextConnectionEvent(alice, "resumed", 10_000);
  gateOpen = true;
  const [sessionId, replayed] = await resumed;
  assert.ok(sessionId);
  assert.ok(replayed >= 5, `replayed ${replayed}`);
  await unanswered; // answered (from the session's answer window if it had been applied)
  const after = nextPush(alice, "chat", (m) => m.text === "after");
  await bob.request("sendChat", { lobbyId: lobby.lobbyId, text: "after" });
  await after;

  const texts = seen.map((s) => s.slice(s.indexOf(":") + 1));
  assert.deepEqual(texts.filter((x) => x.startsWith("missed")), ["missed 1", "missed 2", "missed 3", "missed 4", "missed 5"],
    "every missed line once, in order");
  assert.equal(texts.filter((x) => x === "sent as it dropped").length, 1, "the retried request was applied once");
  const seqs = seen.map((s) => BigInt(s.slice(0, s.indexOf(":"))));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => (a < b ? -1 : 1)), "seqs increase");
  assert.equal(new Set(seqs).size, seqs.length, "no seq twice");
  assert.equal(alice.stats.resumes, 1);
});

test("a new client continues a session from another client's resume state (a page reload)", { skip }, async (t) => {
  const aliceId = user("alice");
  const first = await connect(t, aliceId, URL_A, { reconnect: false });
  const created = nextPush(first, "lobbyState", (v, f) => f.stream.startsWith("lobby:"));
  const lobby = await first.request("createLobby", { name: "reload", mode: "arena", maxPlayers: 4 });
  await created;
  const state = JSON.parse(JSON.stringify(first.resumeState())); // what a page keeps in sessionStorage
  assert.equal(typeof state.lastSeqs[`lobby:${lobby.lobbyId}`], "string");
  first.dropConnection(); // the page goes away without closing on purpose
  const second = new TickroomClient({ url: URL_A, token: () => mint(aliceId), socket: wsSocket, resumeFrom: state,
    backoff: new Backoff(20, 200, 50) });
  t.after(() => second.close());
  const resumed = nextConnectionEvent(second, "resumed");
  await second.connect();
  await resumed;
  const chat = nextPush(second, "chat");
  await second.request("sendChat", { lobbyId: lobby.lobbyId, text: "still a member" });
  assert.equal((await chat).text, "still a member", "the lobby seat came back with the session");
});

test("the token is refreshed before it expires and the session goes on", { skip }, async (t) => {
  const aliceId = user("alice");
  const client = new TickroomClient({ url: URL_A, token: () => mint(aliceId, { ttlMs: 3_000 }), socket: wsSocket });
  t.after(() => client.close());
  const refreshed = nextConnectionEvent(client, "tokenRefreshed", 6_000);
  const w = await client.connect();
  const [expiresAtMs] = await refreshed;
  assert.ok(expiresAtMs > Number(w.tokenExpiresAtMs), "the new token runs longer");
  // past the first token's expiry the session is still open (no 4001)
  const past = Number(w.tokenExpiresAtMs) - Date.now() + 500;
  await new Promise((r) => setTimeout(r, Math.max(0, past)));
  assert.equal(client.isOpen, true);
  assert.ok((await client.request("ping")).serverTimeMs > w.tokenExpiresAtMs);
});
