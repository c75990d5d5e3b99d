// Headless Chromium against a real node (started by Maven's BrowserIT with the development
// secret): two players sign in on the demo page, meet in a lobby, chat, start a match and each
// sees the other move on the canvas; a reload mid-match resumes the seat.
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

before(async () => {
  if (skip) {
    return;
  }
  browser = await launch();
  alice = await newPage(browser, "alice");
  bob = await newPage(browser, "bob");
});

after(async () => {
  for (const p of [alice, bob].filter(Boolean)) {
    for (const t of await pageTokens(p).catch(() => [])) {
      sawToken(t);
    }
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
