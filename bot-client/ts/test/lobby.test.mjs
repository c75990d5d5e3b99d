// LobbyView and applyLobbyDelta: the protocol's rule for big lobbies' deltas, with no server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { applyLobbyDelta, create, LobbyDeltaSchema, LobbyStateSchema, LobbyView } from "../dist/index.js";

const m = (userId, ready = false) => ({ userId, name: userId.toUpperCase(), ready });
const state = (version, ids, host = ids[0]) =>
  create(LobbyStateSchema, { lobbyId: "L", version: BigInt(version), hostUserId: host, members: ids.map((i) => m(i)) });
const ids = (s) => s.members.map((x) => x.userId + (x.ready ? "*" : ""));

test("a delta drops the removed and the rejoined, changes in place, appends the joined in order", () => {
  const d = create(LobbyDeltaSchema, {
    lobbyId: "L", fromVersion: 10n, version: 14n, hostUserId: "b",
    removed: ["a"], joined: [m("c"), m("x")], changed: [m("d", true)],
  });
  const from10 = state(10, ["a", "b", "c", "d"]);
  assert.deepEqual(ids(applyLobbyDelta(from10, d)), ["b", "d*", "c", "x"]);
  // a client that already saw part of the run (c's rejoin, at 12) reaches the same state
  const at12 = state(12, ["a", "b", "d", "c"]);
  const after = applyLobbyDelta(at12, d);
  assert.deepEqual(ids(after), ["b", "d*", "c", "x"]);
  assert.equal(after.version, 14n);
  assert.equal(after.hostUserId, "b");
});

test("a view ignores old pushes and asks get_lobby when a delta does not follow on", async () => {
  const listeners = new Map();
  const asked = [];
  const fake = {
    on: (t, l) => listeners.set(t, l),
    off: (t) => listeners.delete(t),
    request: (type, value) => {
      asked.push([type, value.lobbyId]);
      return Promise.resolve(state(30, ["a", "b", "z"]));
    },
  };
  const view = new LobbyView(fake, state(10, ["a", "b"]));
  const seen = [];
  view.onChange = (s) => seen.push(s.version);
  listeners.get("lobbyDelta")(create(LobbyDeltaSchema, { lobbyId: "L", fromVersion: 9n, version: 10n, joined: [m("q")] }));
  assert.deepEqual(ids(view.state), ["a", "b"], "already applied: ignored");
  listeners.get("lobbyDelta")(create(LobbyDeltaSchema, { lobbyId: "L", fromVersion: 10n, version: 11n, hostUserId: "a", joined: [m("c")] }));
  assert.deepEqual(ids(view.state), ["a", "b", "c"]);
  listeners.get("lobbyDelta")(create(LobbyDeltaSchema, { lobbyId: "L", fromVersion: 20n, version: 21n, joined: [m("y")] }));
  assert.deepEqual(asked, [["getLobby", "L"]], "a gap asks for the whole state");
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(ids(view.state), ["a", "b", "z"]);
  assert.deepEqual(seen, [11n, 30n]);
  assert.equal(view.gaps, 1);
  view.close();
  assert.equal(listeners.size, 0);
});
