// The demo page (GET /): sign in, browse and filter lobbies, create or join one, chat, ready up,
// start, play the arena match on a canvas with the keyboard, and survive a reload (the session,
// its lobby seat and its match seat are resumed). Plain DOM, no framework; everything it does
// goes through @tickroom/client. `window.tickroomDemo.view()` is the page's state as plain JSON
// (the browser tests read it).
import {
  ArenaInputSchema,
  ArenaSnapshotSchema,
  Backoff,
  LeftReason,
  ResumeFailedReason,
  TickroomClient,
  TickroomError,
  applyLobbyDelta,
  create,
  fromBinary,
  toBinary,
  type LobbyState,
  type LobbySummary,
  type MatchLink,
  type ResumeState,
} from "../src/index.js";

const MODES = ["arena", "arena-duel", "arena-8", "arena-sprint", "lounge"];
const STORE = "tickroom.demo";
const COLORS = ["#4fb0ff", "#ff6b6b", "#5ad17d", "#ffb347", "#c38bff", "#4fe0d2", "#ff8bd0", "#e0e04f"];

type Screen = "signin" | "lobbies" | "lobby" | "match" | "closed";

interface Auth {
  kind: "dev" | "pasted";
  user: string;
  name: string;
  token: string;
}

interface LobbyView {
  id: string;
  name: string;
  mode: string;
  maxPlayers: number;
  host: string;
  private: boolean;
  joinCode: string;
  members: { userId: string; name: string; ready: boolean }[];
}

interface PlayerView {
  x: number;
  y: number;
  score: number;
  connected: boolean;
}

interface MatchView {
  matchId: string;
  mode: string;
  seat: number;
  players: string[];
  tick: number;
  positions: Record<string, PlayerView>;
  ended: { reason: string; results: { userId: string; score: number; rank: number }[] } | null;
}

/** What survives a reload (sessionStorage: per tab, gone with it). */
interface Saved {
  auth: Auth;
  resume: ResumeState | null;
  screen: Screen;
  lobby: LobbyView | null;
  chat: { from: string; text: string }[];
  match: MatchView | null;
}

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  screen: "signin" as Screen,
  status: "offline",
  userId: "",
  userName: "",
  nodeId: "",
  closeCode: 0,
  closeReason: "",
  resumes: 0,
  reloadedFromStorage: false,
  lobbies: [] as { id: string; name: string; players: number; maxPlayers: number; mode: string }[],
  lobby: null as LobbyView | null,
  chat: [] as { from: string; text: string }[],
  match: null as MatchView | null,
  announcements: [] as string[],
  events: [] as string[],
  lastError: "",
  devTokens: false,
};

let auth: Auth | null = null;
let client: TickroomClient | null = null;
let link: MatchLink | null = null;
let listTimer: ReturnType<typeof setInterval> | undefined;

// ------------------------------------------------------------------ sign in

async function devToken(user: string, name: string): Promise<string> {
  const r = await fetch(`/dev/token?user=${encodeURIComponent(user)}&name=${encodeURIComponent(name)}`, { method: "POST" });
  const body = await r.json();
  if (!r.ok) {
    throw new Error(body.error ?? `HTTP ${r.status}`);
  }
  return body.token as string;
}

function tokenUser(token: string): { user: string; name: string } {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/")));
    return { user: String(payload.sub ?? "?"), name: String(payload.name ?? payload.sub ?? "?") };
  } catch {
    return { user: "?", name: "?" };
  }
}

function signIn(a: Auth, resume: ResumeState | null): void {
  auth = a;
  const c = new TickroomClient({
    url: playUrl(),
    // a dev sign-in fetches a fresh token for each reconnect and refresh; a pasted one is all we have
    token: a.kind === "dev" ? async () => (a.token = await devToken(a.user, a.name)) : () => a.token,
    backoff: new Backoff(250, 5_000, 0),
    ...(resume ? { resumeFrom: resume } : {}),
  });
  client = c;
  wire(c);
  status("connecting", "connecting…");
  c.connect().then(
    (w) => {
      state.userId = w.userId;
      state.userName = w.userName;
      state.nodeId = w.nodeId;
      $("who").textContent = `${w.userName} (${w.userId})`;
      $("sign-out").hidden = false;
      status("online", `online · ${w.nodeId}`);
      if (state.screen === "signin") {
        show("lobbies");
      }
      save();
    },
    (e: Error) => closedScreen("Could not connect", e.message),
  );
}

function playUrl(): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/play`;
}

// ------------------------------------------------------------------ the client's events

function wire(c: TickroomClient): void {
  c.onConnection({
    disconnected: (code, reason) => {
      status("reconnecting", `disconnected (${code}${reason ? " " + reason : ""}), reconnecting…`);
      event(`disconnected ${code} ${reason}`);
    },
    reconnecting: (n, ms) => status("reconnecting", `reconnecting (attempt ${n}, in ${ms} ms)…`),
    reconnected: () => status("online", `online · ${c.welcome?.nodeId ?? ""}`),
    resumed: (_id, replayed) => {
      state.resumes++;
      status("online", `online · ${c.welcome?.nodeId ?? ""} · resumed`);
      event(`resumed the session: ${replayed} missed pushes replayed`);
    },
    sessionExpired: (why, reason) => {
      const cause = reason === ResumeFailedReason.RESUME_EXPIRED ? "the old one expired"
        : reason === ResumeFailedReason.RESUME_GAP ? "too much was missed to replay" : why;
      event(`a new session (${cause}): lobby and match are gone`);
      state.lobby = null;
      state.chat = [];
      state.match = null;
      show("lobbies");
    },
    gaveUp: (reason, code) => {
      state.closeCode = code;
      state.closeReason = reason;
      closedScreen(code === 4003 ? "Kicked by an operator" : "Disconnected", reason);
    },
  });
  c.on("lobbyState", (l) => {
    if (!state.lobby || state.lobby.id === l.lobbyId) {
      enterLobby(l);
    }
  });
  // a lobby over 16 members sends member changes as deltas (the protocol's rule: apply, or ask)
  c.on("lobbyDelta", (d) => {
    const held = lobbyWire;
    if (!held || held.lobbyId !== d.lobbyId || d.version <= held.version) {
      return;
    }
    if (d.fromVersion > held.version) {
      c.request("getLobby", { lobbyId: d.lobbyId }).then(enterLobby, () => {});
      return;
    }
    enterLobby(applyLobbyDelta(held, d));
  });
  c.on("chat", (m) => {
    if (state.lobby?.id === m.lobbyId) {
      state.chat.push({ from: m.fromName || m.fromUserId, text: m.text });
      state.chat = state.chat.slice(-100);
      renderChat();
      save();
    }
  });
  c.on("lobbyLeft", (l) => {
    if (state.lobby?.id !== l.lobbyId) {
      return;
    }
    state.lobby = null;
    state.chat = [];
    if (l.reason === LeftReason.MATCH_STARTED) {
      event("the match is starting…");
    } else {
      event(`left the lobby (${LeftReason[l.reason]})`);
      show("lobbies");
    }
    save();
  });
  c.onMatchJoined((m) => {
    link = m;
    const j = m.joined;
    state.match = {
      matchId: j.matchId,
      mode: j.mode,
      seat: j.seat,
      players: [...j.playerUserIds],
      tick: state.match?.matchId === j.matchId ? state.match.tick : 0,
      positions: state.match?.matchId === j.matchId ? state.match.positions : {},
      ended: null,
    };
    $("match-title").textContent = `Match ${j.matchId} · ${j.mode} · seat ${j.seat}`;
    $("results").hidden = true;
    $("back").hidden = true;
    $("leave-match").hidden = false;
    lastDir = "";
    show("match");
    steer();
    save();
  });
  c.on("matchSnapshot", (s) => {
    if (!state.match || s.matchId !== state.match.matchId) {
      return;
    }
    const snap = fromBinary(ArenaSnapshotSchema, s.payload);
    state.match.tick = Number(s.tick);
    const positions: Record<string, PlayerView> = {};
    for (const p of snap.players) {
      positions[p.userId] = { x: p.x, y: p.y, score: p.score, connected: p.connected };
    }
    state.match.positions = positions;
    draw();
  });
  c.on("matchEnded", (e) => {
    if (!state.match || e.matchId !== state.match.matchId) {
      return;
    }
    state.match.ended = { reason: e.reason, results: e.results.map((r) => ({ userId: r.userId, score: r.score, rank: r.rank })) };
    link = null;
    const res = $("results");
    res.hidden = false;
    res.textContent = `Match over (${e.reason}): ` + e.results.map((r) => `#${r.rank} ${r.userId} ${r.score}`).join(", ");
    $("back").hidden = false;
    $("leave-match").hidden = true;
    save();
  });
  c.on("announcement", (a) => {
    state.announcements.push(a.text);
    banner(`Announcement: ${a.text}`);
  });
  c.on("goodbye", (g) => event(`server says goodbye: ${g.reason}${g.reconnectUrl ? " (moving to " + g.reconnectUrl + ")" : ""}`));
  c.on("directMessage", (d) => event(`message from ${d.fromName || d.fromUserId}: ${d.text}`));
}

// ------------------------------------------------------------------ lobbies

async function refreshLobbies(): Promise<void> {
  if (!client || state.screen !== "lobbies") {
    return;
  }
  try {
    const mode = $<HTMLSelectElement>("filter-mode").value;
    const order = Number($<HTMLSelectElement>("filter-order").value);
    const page = await client.request("listLobbies", { mode, order, pageSize: 100 });
    const nameFilter = $<HTMLInputElement>("filter-name").value.trim().toLowerCase();
    const openOnly = $<HTMLInputElement>("filter-open").checked;
    state.lobbies = page.lobbies
      .filter((l: LobbySummary) => (!nameFilter || l.name.toLowerCase().includes(nameFilter)) && (!openOnly || l.players < l.maxPlayers))
      .map((l: LobbySummary) => ({ id: l.lobbyId, name: l.name, players: l.players, maxPlayers: l.maxPlayers, mode: l.mode }));
    renderLobbies();
  } catch (e) {
    fail(e);
  }
}

function renderLobbies(): void {
  const body = $("lobby-table").querySelector("tbody")!;
  body.replaceChildren(
    ...state.lobbies.map((l) => {
      const tr = document.createElement("tr");
      tr.dataset.lobbyId = l.id;
      for (const text of [l.name, l.mode, `${l.players} / ${l.maxPlayers}`]) {
        const td = document.createElement("td");
        td.textContent = text;
        tr.append(td);
      }
      const td = document.createElement("td");
      const b = document.createElement("button");
      b.textContent = "Join";
      b.disabled = l.players >= l.maxPlayers;
      b.addEventListener("click", () => join({ lobbyId: l.id }));
      td.append(b);
      tr.append(td);
      return tr;
    }),
  );
  $("no-lobbies").hidden = state.lobbies.length > 0;
}

async function join(which: { lobbyId?: string; joinCode?: string }): Promise<void> {
  try {
    enterLobby(await client!.request("joinLobby", which));
  } catch (e) {
    fail(e);
  }
}

/** The last whole lobby state held, what deltas apply to. */
let lobbyWire: LobbyState | null = null;

function enterLobby(l: LobbyState): void {
  if (lobbyWire && lobbyWire.lobbyId === l.lobbyId && l.version < lobbyWire.version) {
    return; // an older state than one already shown
  }
  lobbyWire = l;
  const fresh = state.lobby?.id !== l.lobbyId;
  state.lobby = {
    id: l.lobbyId,
    name: l.name,
    mode: l.mode,
    maxPlayers: l.maxPlayers,
    host: l.hostUserId,
    private: l.private,
    joinCode: l.joinCode,
    members: l.members.map((m) => ({ userId: m.userId, name: m.name, ready: m.ready })),
  };
  if (fresh) {
    state.chat = [];
    renderChat();
  }
  renderLobby();
  if (state.screen !== "lobby" && state.screen !== "match") {
    show("lobby");
  }
  save();
}

function renderLobby(): void {
  const l = state.lobby;
  if (!l) {
    return;
  }
  $("lobby-title").textContent = `${l.name} · ${l.mode} · ${l.members.length} / ${l.maxPlayers}`;
  $("lobby-code").textContent = l.private ? `Private lobby; join code ${l.joinCode}` : `Lobby ${l.id}`;
  $("members").replaceChildren(
    ...l.members.map((m) => {
      const li = document.createElement("li");
      li.dataset.userId = m.userId;
      li.textContent = `${m.name} (${m.userId})`;
      if (m.userId === l.host) {
        const s = document.createElement("span");
        s.className = "host";
        s.textContent = " ★ host";
        li.append(s);
      }
      if (m.ready) {
        const s = document.createElement("span");
        s.className = "ready";
        s.textContent = " ✓ ready";
        li.append(s);
      }
      return li;
    }),
  );
  const me = l.members.find((m) => m.userId === state.userId);
  $("ready").textContent = me?.ready ? "Not ready" : "Ready";
  const isHost = l.host === state.userId;
  $("start").hidden = !isHost;
  $<HTMLButtonElement>("start").disabled = !(l.members.length >= 2 && l.members.every((m) => m.ready));
}

function renderChat(): void {
  const log = $("chat-log");
  log.replaceChildren(
    ...state.chat.map((c) => {
      const li = document.createElement("li");
      const b = document.createElement("b");
      b.textContent = c.from + ": ";
      li.append(b, document.createTextNode(c.text));
      return li;
    }),
  );
  log.scrollTop = log.scrollHeight;
}

// ------------------------------------------------------------------ the match

const pressed = new Set<string>();
let lastDir = "";
const KEYS: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1],
  a: [-1, 0], d: [1, 0], w: [0, -1], s: [0, 1],
};

function steer(): void {
  if (!link || state.screen !== "match") {
    return;
  }
  let dx = 0;
  let dy = 0;
  for (const k of pressed) {
    dx += KEYS[k]![0];
    dy += KEYS[k]![1];
  }
  dx = Math.max(-1, Math.min(1, dx));
  dy = Math.max(-1, Math.min(1, dy));
  const dir = `${dx},${dy}`;
  if (dir === lastDir) {
    return;
  }
  lastDir = dir;
  const payload = toBinary(ArenaInputSchema, create(ArenaInputSchema, { dx, dy, clientTimeMs: BigInt(Date.now()) }));
  link.input(BigInt(state.match?.tick ?? 0), payload);
}

function draw(): void {
  const m = state.match;
  const canvas = $<HTMLCanvasElement>("field");
  const g = canvas.getContext("2d");
  if (!m || !g) {
    return;
  }
  const scale = canvas.width / 100;
  g.fillStyle = "#0b1020";
  g.fillRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#1c2640";
  for (let i = 10; i < 100; i += 10) {
    g.beginPath();
    g.moveTo(i * scale, 0);
    g.lineTo(i * scale, canvas.height);
    g.moveTo(0, i * scale);
    g.lineTo(canvas.width, i * scale);
    g.stroke();
  }
  g.font = "12px system-ui, sans-serif";
  g.textAlign = "center";
  m.players.forEach((userId, seat) => {
    const p = m.positions[userId];
    if (!p) {
      return;
    }
    g.globalAlpha = p.connected ? 1 : 0.35;
    g.fillStyle = COLORS[seat % COLORS.length]!;
    g.beginPath();
    g.arc(p.x * scale, p.y * scale, 9, 0, 2 * Math.PI);
    g.fill();
    if (userId === state.userId) {
      g.strokeStyle = "#ffffff";
      g.lineWidth = 2;
      g.stroke();
      g.lineWidth = 1;
    }
    g.fillStyle = "#e6e9f0";
    g.fillText(userId, p.x * scale, p.y * scale - 14);
    g.globalAlpha = 1;
  });
  $("scores").replaceChildren(
    ...m.players.map((userId, seat) => {
      const li = document.createElement("li");
      const p = m.positions[userId];
      li.style.color = COLORS[seat % COLORS.length]!;
      li.textContent = `${userId}${userId === state.userId ? " (you)" : ""}: ${p?.score ?? 0}${p && !p.connected ? " · away" : ""}`;
      return li;
    }),
  );
}

// ------------------------------------------------------------------ screens and state

function show(screen: Screen): void {
  state.screen = screen;
  for (const s of ["signin", "lobbies", "lobby", "match", "closed"]) {
    $(`screen-${s}`).hidden = s !== screen;
  }
  clearInterval(listTimer);
  if (screen === "lobbies") {
    void refreshLobbies();
    listTimer = setInterval(() => void refreshLobbies(), 3_000);
  }
  save();
}

function closedScreen(title: string, reason: string): void {
  $("closed-title").textContent = title;
  $("closed-reason").textContent = reason;
  status("closed", title.toLowerCase());
  client = null;
  link = null;
  sessionStorage.removeItem(STORE);
  show("closed");
}

function status(kind: string, text: string): void {
  state.status = kind;
  const el = $("status");
  el.className = `status ${kind}`;
  el.textContent = text;
}

function banner(text: string): void {
  const b = $("banner");
  b.textContent = text;
  b.hidden = false;
}

function event(text: string): void {
  state.events.push(text);
  state.events = state.events.slice(-20);
  $("events").replaceChildren(
    ...state.events.slice(-5).map((e) => {
      const li = document.createElement("li");
      li.textContent = e;
      return li;
    }),
  );
}

function fail(e: unknown): void {
  const text = e instanceof TickroomError ? `${e.codeName}: ${e.serverMessage}` : String((e as Error)?.message ?? e);
  state.lastError = text;
  event(`error: ${text}`);
}

function save(): void {
  if (!auth || !client || state.screen === "closed") {
    return;
  }
  const saved: Saved = {
    auth,
    resume: client.resumeState(),
    screen: state.screen,
    lobby: state.lobby,
    chat: state.chat,
    match: state.match,
  };
  sessionStorage.setItem(STORE, JSON.stringify(saved));
}

// ------------------------------------------------------------------ start

function setup(): void {
  for (const id of ["filter-mode", "create-mode"]) {
    $(id).replaceChildren(
      ...MODES.map((m) => {
        const o = document.createElement("option");
        o.value = o.textContent = m;
        return o;
      }),
    );
  }
  $("dev-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const user = $<HTMLInputElement>("dev-user").value.trim();
    const name = $<HTMLInputElement>("dev-name").value.trim() || user;
    devToken(user, name).then((token) => signIn({ kind: "dev", user, name, token }, null), fail);
  });
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const token = $<HTMLTextAreaElement>("token-input").value.trim();
    const who = tokenUser(token);
    signIn({ kind: "pasted", user: who.user, name: who.name, token }, null);
  });
  for (const id of ["filter-mode", "filter-order", "filter-open"]) {
    $(id).addEventListener("change", () => void refreshLobbies());
  }
  $("filter-name").addEventListener("input", () => void refreshLobbies());
  $("refresh").addEventListener("click", () => void refreshLobbies());
  $("create-form").addEventListener("submit", (e) => {
    e.preventDefault();
    client!
      .request("createLobby", {
        name: $<HTMLInputElement>("create-name").value,
        mode: $<HTMLSelectElement>("create-mode").value,
        maxPlayers: Number($<HTMLInputElement>("create-max").value),
        private: $<HTMLInputElement>("create-private").checked,
      })
      .then(enterLobby, fail);
  });
  $("code-form").addEventListener("submit", (e) => {
    e.preventDefault();
    void join({ joinCode: $<HTMLInputElement>("join-code").value.trim() });
  });
  $("ready").addEventListener("click", () => {
    const me = state.lobby?.members.find((m) => m.userId === state.userId);
    client!.request("setReady", { lobbyId: state.lobby!.id, ready: !me?.ready }).catch(fail);
  });
  $("start").addEventListener("click", () => client!.request("startMatch", { lobbyId: state.lobby!.id }).catch(fail));
  $("leave").addEventListener("click", () => {
    const id = state.lobby!.id;
    client!.request("leaveLobby", { lobbyId: id }).then(() => {
      state.lobby = null;
      show("lobbies");
    }, fail);
  });
  $("chat-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("chat-input");
    const text = input.value.trim();
    if (text && state.lobby) {
      client!.request("sendChat", { lobbyId: state.lobby.id, text }).then(() => (input.value = ""), fail);
    }
  });
  $("leave-match").addEventListener("click", () => {
    link?.leave().catch(fail);
    link?.done();
    link = null;
    state.match = null;
    show("lobbies");
  });
  $("back").addEventListener("click", () => {
    state.match = null;
    show("lobbies");
  });
  $("sign-out").addEventListener("click", () => {
    client?.close();
    sessionStorage.removeItem(STORE);
    location.reload();
  });
  $("again").addEventListener("click", () => location.reload());
  window.addEventListener("keydown", (e) => {
    if (state.screen === "match" && KEYS[e.key] && !(e.target instanceof HTMLInputElement)) {
      e.preventDefault();
      pressed.add(e.key);
      steer();
    }
  });
  window.addEventListener("keyup", (e) => {
    if (pressed.delete(e.key)) {
      steer();
    }
  });
  window.addEventListener("blur", () => {
    pressed.clear();
    steer();
  });
  // a reload keeps the session: what the next page needs is saved as this one goes
  window.addEventListener("pagehide", save);
  setInterval(save, 1_000);

  fetch("/web/info.json").then((r) => r.json()).then((info) => {
    state.devTokens = info.dev_tokens === true;
    $("dev-signin").hidden = !state.devTokens;
  }, () => undefined);

  const raw = sessionStorage.getItem(STORE);
  if (raw) {
    const saved = JSON.parse(raw) as Saved;
    state.reloadedFromStorage = true;
    state.lobby = saved.lobby;
    state.chat = saved.chat ?? [];
    state.match = saved.match;
    renderLobby();
    renderChat();
    if (saved.screen === "match" && saved.match && !saved.match.ended) {
      show("match"); // the resume gives the seat back (match_joined), then snapshots
      draw();
    } else {
      show(saved.screen === "match" ? "lobbies" : saved.screen === "signin" ? "lobbies" : saved.screen);
    }
    signIn(saved.auth, saved.resume);
  } else {
    show("signin");
  }
}

declare global {
  interface Window {
    tickroomDemo: { view(): unknown };
  }
}

window.tickroomDemo = {
  /** The page's state as plain JSON. */
  view: () => JSON.parse(JSON.stringify({ ...state, connected: client?.isOpen ?? false, inMatch: link !== null })),
};

setup();
