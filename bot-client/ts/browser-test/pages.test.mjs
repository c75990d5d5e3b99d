// Headless Chromium against a real node (started by Maven's BrowserIT with the development
// secret): two players sign in on the demo page, meet in a lobby, chat, start a match and each
// sees the other move on the canvas; a reload mid-match resumes the seat; the operator console
// shows the match and a live lateness plot, and its kick button closes a player's page with 4003.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { BASE, launch, newPage, pageTokens, sawToken, screenshot, signIn, view, waitView } from "./support.mjs";

const skip = BASE ? false : "no node: run through ./mvnw verify (BrowserIT) or set TICKROOM_HTTP_URL";
const run = `${process.pid % 100000}`;
const ALICE = `alice${run}`;
const BOB = `bob${run}`;
let browser;
let alice;
let bob;
let operator;

before(async () => {
  if (skip) {
    return;
  }
  browser = await launch();
  alice = await newPage(browser, "alice");
  bob = await newPage(browser, "bob");
  operator = await newPage(browser, "operator");
});

after(async () => {
  for (const p of [alice, bob].filter(Boolean)) {
    for (const t of await pageTokens(p).catch(() => [])) {
      sawToken(t);
    }
  }
  if (operator) {
    sawToken(await operator.evaluate(() => sessionStorage.getItem("tickroom.console.token")).catch(() => null));
  }
  await browser?.close();
});

/** A player's position as the other page last drew it. */
async function positionSeenBy(page, userId) {
  return (await view(page)).match?.positions?.[userId];
}

test("two players meet in a lobby, chat, start a match and each sees the other move", { skip }, async () => {
  await signIn(alice, ALICE, "Alice");
  await signIn(bob, BOB, "Bob");

  await alice.$eval("#create-name", (el) => (el.value = ""));
  await alice.type("#create-name", `Browser arena ${run}`);
  await alice.select("#create-mode", "arena");
  await alice.click("#create-form button");
  await waitView(alice, () => window.tickroomDemo.view().screen === "lobby", "alice in her lobby");
  const lobbyId = (await view(alice)).lobby.id;

  // bob browses with a name filter and joins from the list
  await bob.type("#filter-name", `arena ${run}`);
  await bob.waitForSelector(`tr[data-lobby-id="${lobbyId}"] button`, { visible: true, timeout: 10_000 });
  await bob.$eval(`tr[data-lobby-id="${lobbyId}"] button`, (b) => b.click()); // the list re-renders: click in one step
  await waitView(bob, (id) => window.tickroomDemo.view().lobby?.id === id, "bob in the lobby", 10_000, lobbyId);
  await waitView(alice, () => window.tickroomDemo.view().lobby?.members.length === 2, "alice sees bob join");

  await alice.type("#chat-input", "hello bob");
  await alice.click("#chat-form button");
  await waitView(bob, () => window.tickroomDemo.view().chat.some((c) => c.text === "hello bob"), "bob reads alice's line");
  await bob.type("#chat-input", "hi alice");
  await bob.click("#chat-form button");
  await waitView(alice, () => window.tickroomDemo.view().chat.some((c) => c.text === "hi alice"), "alice reads bob's line");
  assert.deepEqual((await view(alice)).chat.map((c) => c.text), ["hello bob", "hi alice"]);

  await bob.click("#ready");
  await alice.click("#ready");
  await waitView(alice, () => !document.querySelector("#start").disabled, "start enabled once everyone is ready");
  await alice.click("#start");
  for (const p of [alice, bob]) {
    await waitView(p, (ids) => {
      const v = window.tickroomDemo.view();
      return v.screen === "match" && v.inMatch && ids.every((u) => v.match?.positions?.[u]);
    }, "both players in the match, drawn", 15_000, [ALICE, BOB]);
  }

  const bobStart = await positionSeenBy(alice, BOB);
  const aliceStart = await positionSeenBy(bob, ALICE);
  await alice.keyboard.down("ArrowRight");
  await bob.keyboard.down("ArrowDown");
  // each page sees the other player move (from the snapshots it drew)
  await waitView(bob, ([u, x]) => window.tickroomDemo.view().match.positions[u]?.x > x + 5, "bob sees alice move right",
    10_000, [ALICE, aliceStart.x]);
  await waitView(alice, ([u, y]) => window.tickroomDemo.view().match.positions[u]?.y > y + 5, "alice sees bob move down",
    10_000, [BOB, bobStart.y]);
  await alice.keyboard.up("ArrowRight");
  await bob.keyboard.up("ArrowDown");
  await screenshot(alice, "demo");
});

test("a reload mid-match resumes the session and gives the seat back", { skip }, async () => {
  const before = await view(bob);
  assert.equal(before.screen, "match");
  await bob.reload();
  await waitView(bob, () => {
    const v = window.tickroomDemo.view();
    return v.reloadedFromStorage && v.resumes === 1 && v.inMatch && v.screen === "match";
  }, "bob's page resumed its session and seat", 15_000);
  const after = await view(bob);
  assert.equal(after.match.matchId, before.match.matchId, "the same match");
  assert.equal(after.match.seat, before.match.seat, "the same seat");
  assert.equal(after.userId, before.userId);
  // the seat is really his again: his inputs move him, and alice sees it
  const x0 = (await positionSeenBy(alice, BOB)).x;
  await bob.keyboard.down("ArrowLeft");
  await waitView(alice, ([u, x]) => window.tickroomDemo.view().match.positions[u]?.x < x - 5, "alice sees bob move after his reload",
    10_000, [BOB, x0]);
  await bob.keyboard.up("ArrowLeft");
  assert.equal((await positionSeenBy(alice, BOB)).connected, true);
});

const consoleView = (page) => page.evaluate(() => window.tickroomConsole.view());

test("the operator console shows the match and a live lateness plot, and its kick closes a player's page with 4003", { skip }, async () => {
  const matchId = (await view(alice)).match.matchId;
  await operator.goto(`${BASE}/console`);
  await operator.waitForSelector("#dev-admin", { visible: true });
  await operator.click("#dev-admin");
  await waitView(operator, ([id, players]) => {
    const v = window.tickroomConsole.view();
    const m = v.matches.find((x) => x.id === id);
    return v.connected && m && players.every((p) => m.players.includes(p));
  }, "the console lists the match with both players", 10_000, [matchId, [ALICE, BOB]]);
  // the plot is drawn from the node's tick histograms, sampled once a second
  await waitView(operator, () => {
    const p = window.tickroomConsole.view().plots;
    return p.lateness?.points >= 8 && p.sessions?.points >= 4 && p.deliveries?.points >= 4;
  }, "a lateness plot with points", 15_000);
  const v = await consoleView(operator);
  assert.equal(v.nodes.length, 1);
  assert.ok(v.nodes[0].sessions >= 3, "both players and the operator");
  assert.ok(v.sessions.some((s) => s.userId === ALICE) && v.sessions.some((s) => s.userId === BOB));
  await screenshot(operator, "console", true);

  await operator.$eval(`button[data-kick="${BOB}"]`, (b) => b.click());
  await waitView(bob, () => {
    const s = window.tickroomDemo.view();
    return s.screen === "closed" && s.closeCode === 4003;
  }, "bob's page closed with 4003", 10_000);
  await waitView(operator, (u) => window.tickroomConsole.view().lastResult.startsWith(`kick ${u}: 1 affected`),
    "the console reports the kick", 10_000, BOB);
  await waitView(operator, (u) => !window.tickroomConsole.view().sessions.some((s) => s.userId === u),
    "bob is gone from the sessions", 10_000, BOB);
  assert.equal((await view(alice)).screen, "match", "alice plays on");
});
