// Two real nodes on one real redis-server (started by Maven's TypeScriptClientIT): a player
// whose match runs on the other node follows match_found.endpoint over a second connection,
// plays there and sees the others move.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ArenaInputSchema, ArenaSnapshotSchema, create, fromBinary, toBinary } from "../dist/index.js";
import { connect, nextPush, nodeSkip, URL_A, URL_B, user } from "./support.mjs";

const skip = nodeSkip(true);

function matchJoined(client, ms = 10_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no match joined")), ms);
    client.onMatchJoined((link) => {
      clearTimeout(timer);
      resolve(link);
    });
  });
}

/** Resolves with the first arena snapshot where `pred(players by user id)` holds. */
function snapshotWhere(client, pred, ms = 10_000) {
  return nextPush(client, "matchSnapshot", (s) => {
    const players = new Map(fromBinary(ArenaSnapshotSchema, s.payload).players.map((p) => [p.userId, p]));
    return pred(players);
  }, ms);
}

test("a match hosted on another node is followed over a second connection and played there", { skip }, async (t) => {
  const [aliceId, bobId, carolId] = [user("alice"), user("bob"), user("carol")];
  const alice = await connect(t, aliceId, URL_A);
  const bob = await connect(t, bobId, URL_B);
  const carol = await connect(t, carolId, URL_B);
  const lobby = await alice.request("createLobby", { name: "across", mode: "arena", maxPlayers: 4 });
  await bob.request("joinLobby", { lobbyId: lobby.lobbyId });
  await carol.request("joinLobby", { lobbyId: lobby.lobbyId });
  for (const c of [alice, bob, carol]) {
    await c.request("setReady", { lobbyId: lobby.lobbyId, ready: true });
  }
  const links = [alice, bob, carol].map((c) => matchJoined(c));
  const found = nextPush(alice, "matchFound");
  await alice.request("startMatch", { lobbyId: lobby.lobbyId });
  // two of three players are on node B: the match runs there
  assert.equal((await found).endpoint, URL_B);
  const [aliceLink, bobLink, carolLink] = await Promise.all(links);
  assert.notEqual(aliceLink.connection, alice, "alice plays over a second connection");
  assert.equal(aliceLink.connection.currentUrl, URL_B);
  assert.equal(aliceLink.connection.welcome.nodeId, bob.welcome.nodeId, "to the node hosting the match");
  assert.equal(bobLink.connection, bob, "bob's match is on his own node");
  assert.equal(carolLink.connection, carol);
  assert.deepEqual([...aliceLink.joined.playerUserIds].sort(), [aliceId, bobId, carolId].sort());

  const start = await snapshotWhere(alice, (p) => p.has(aliceId) && p.has(bobId));
  const x0 = fromBinary(ArenaSnapshotSchema, start.payload).players.find((p) => p.userId === bobId).x;
  const input = toBinary(ArenaInputSchema, create(ArenaInputSchema, { dx: 1, dy: 0, clientTimeMs: BigInt(Date.now()) }));
  bobLink.input(start.tick, input);
  aliceLink.input(start.tick, input);
  // alice (over her second connection) sees bob move, and bob sees alice move
  await snapshotWhere(alice, (p) => p.get(bobId)?.x > x0 + 1);
  await snapshotWhere(bob, (p) => p.get(aliceId)?.score > 0);
  await Promise.all([aliceLink.leave(), bobLink.leave(), carolLink.leave()]);
});
