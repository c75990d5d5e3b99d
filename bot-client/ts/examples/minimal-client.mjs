// A minimal Tickroom player on @tickroom/client: lobby, chat, ready, an arena-duel match, leave.
//   TICKROOM_TOKEN=$(scripts/token --user alice) node examples/minimal-client.mjs          creates a lobby
//   TICKROOM_TOKEN=$(scripts/token --user bob)   node examples/minimal-client.mjs <lobby>  joins it
import WebSocket from "ws"; // Node 20 has no global WebSocket; browsers need no socket option
import { ArenaInputSchema, ArenaSnapshotSchema, TickroomClient, create, fromBinary, toBinary } from "@tickroom/client";

const url = process.env.TICKROOM_URL ?? "ws://127.0.0.1:8080/ws/play";
const token = process.env.TICKROOM_TOKEN;
if (!token) throw new Error("set TICKROOM_TOKEN, e.g. TICKROOM_TOKEN=$(scripts/token --user alice)");
const client = new TickroomClient({ url, token, socket: (u) => new WebSocket(u) }); // token: a string or a function
const next = (type, pred) => new Promise((resolve) => client.on(type, (v) => pred(v) && resolve(v)));

const me = (await client.connect()).userId;
console.log(`welcome ${me}`);
client.on("chat", (m) => console.log(`chat ${m.fromUserId}: ${m.text}`));
client.on("matchFound", (f) => console.log(`match ${f.matchId} on ${f.endpoint}`));
const moved = []; // my x in each snapshot
const played = new Promise((resolve) => client.on("matchSnapshot", (s) => {
  const x = fromBinary(ArenaSnapshotSchema, s.payload).players.find((p) => p.userId === me).x;
  moved.push(x);
  if (moved.length <= 3) { // a few inputs: move right (arena keeps the last direction)
    client.match?.input(s.tick, toBinary(ArenaInputSchema, create(ArenaInputSchema, { dx: 1, dy: 0 })));
  }
  if (moved.length === 20) resolve();
}));

const full = next("lobbyState", (s) => s.members.length === 2);
const lobby = process.argv[2]
  ? await client.request("joinLobby", { lobbyId: process.argv[2] })
  : await client.request("createLobby", { name: `${me}'s duel`, mode: "arena-duel", maxPlayers: 2 });
console.log(`lobby ${lobby.lobbyId}`);
await full;
await client.request("sendChat", { lobbyId: lobby.lobbyId, text: `hello from ${me}` });
const allReady = next("lobbyState", (s) => s.members.every((m) => m.ready));
await client.request("setReady", { lobbyId: lobby.lobbyId, ready: true });
if (lobby.hostUserId === me) {
  await allReady;
  await client.request("startMatch", { lobbyId: lobby.lobbyId }); // match_found follows, to both
}
// the client claims the seat itself, over a second connection when the match runs on another node
await played;
console.log(`snapshots ${moved.length}, x ${moved[0].toFixed(1)} -> ${moved.at(-1).toFixed(1)}`);
await client.match.leave();
console.log("left");
client.close();
