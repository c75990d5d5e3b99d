// The operator console (GET /console): the live nodes with their load, the sessions, lobbies and
// matches of the cluster, live plots of tick lateness and duration (p50/p99 per second, from the
// node's own HdrHistograms) and of sessions and deliveries per second; kick, close lobby, announce
// and drain. Every call carries the operator's token: the admin WebSocket (/ws/admin) for the
// requests, `Authorization: Bearer` for /console/api/stats. `window.tickroomConsole.view()` is
// the page's state as plain JSON (the browser tests read it).
import { Backoff, TickroomClient, TickroomError, type SessionInfo } from "../src/index.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const STORE = "tickroom.console.token";

interface Stats {
  node: string;
  status: string;
  now_ms: number;
  nodes: { node_id: string; url: string; sessions: number; matches: number }[];
  series: Record<string, number[]>;
}

const state = {
  signedIn: false,
  connected: false,
  nodes: [] as Stats["nodes"],
  status: "",
  sessions: [] as { sessionId: string; userId: string; userName: string; nodeId: string; namespace: string; connectedAtMs: number; rooms: string[] }[],
  missingNodes: [] as string[],
  lobbies: [] as { id: string; members: string[]; nodes: string[] }[],
  matches: [] as { id: string; players: string[]; nodes: string[] }[],
  plots: {} as Record<string, { points: number; max: number }>,
  lastResult: "",
  lastError: "",
};

let token = "";
let admin: TickroomClient | null = null;
let timers: ReturnType<typeof setInterval>[] = [];

// ------------------------------------------------------------------ sign in

function signIn(t: string): void {
  token = t;
  sessionStorage.setItem(STORE, t);
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/admin`;
  admin = new TickroomClient({ url, token: () => token, followMatches: false, backoff: new Backoff(250, 5_000, 0) });
  admin.onConnection({
    disconnected: () => setStatus("reconnecting", "reconnecting…"),
    reconnected: () => setStatus("online", `online · ${admin?.welcome?.nodeId ?? ""}`),
    gaveUp: (why) => setStatus("closed", why),
  });
  admin.on("announcement", (a) => banner(`Announcement: ${a.text}`));
  setStatus("connecting", "connecting…");
  admin.connect().then(
    (w) => {
      state.signedIn = true;
      state.connected = true;
      $("who").textContent = `${w.userName} (${w.userId}) on ${w.nodeId}`;
      $("sign-out").hidden = false;
      $("screen-signin").hidden = true;
      $("screen-console").hidden = false;
      setStatus("online", `online · ${w.nodeId}`);
      void pollStats();
      void pollSessions();
      timers = [setInterval(() => void pollStats(), 1_000), setInterval(() => void pollSessions(), 2_000)];
    },
    (e: Error) => {
      setStatus("closed", `refused: ${e.message} (is it an admin token?)`);
      sessionStorage.removeItem(STORE);
    },
  );
}

// ------------------------------------------------------------------ data

async function pollStats(): Promise<void> {
  try {
    const r = await fetch("/console/api/stats", { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
    if (!r.ok) {
      throw new Error(`stats: HTTP ${r.status}`);
    }
    const s = (await r.json()) as Stats;
    state.nodes = s.nodes;
    state.status = s.status;
    renderNodes();
    const col = (name: string, div = 1) => (s.series[name] ?? []).map((v) => (v < 0 ? NaN : v / div));
    const t = s.series["t_ms"] ?? [];
    plot("lateness", t, [col("lateness_p50_us", 1000), col("lateness_p99_us", 1000)], 2);
    plot("duration", t, [col("duration_p50_us", 1000), col("duration_p99_us", 1000)], 3);
    plot("sessions", t, [col("sessions"), col("matches")], 0);
    plot("deliveries", t, [col("deliveries_per_s"), col("frames_in_per_s")], 0);
  } catch (e) {
    fail(e);
  }
}

async function pollSessions(): Promise<void> {
  if (!admin) {
    return;
  }
  try {
    const list = await admin.request("listSessions", { timeoutMs: 1_000 });
    state.missingNodes = [...list.missingNodes];
    state.sessions = list.sessions.map((s: SessionInfo) => ({
      sessionId: s.sessionId,
      userId: s.userId,
      userName: s.userName,
      nodeId: s.nodeId,
      namespace: s.namespace,
      connectedAtMs: Number(s.connectedAtMs),
      rooms: [...s.rooms],
    }));
    // lobbies and matches as the sessions' rooms show them
    const rooms = (prefix: string) => {
      const by = new Map<string, { members: Set<string>; nodes: Set<string> }>();
      for (const s of state.sessions) {
        for (const r of s.rooms) {
          if (r.startsWith(prefix)) {
            const id = r.slice(prefix.length);
            const e = by.get(id) ?? { members: new Set(), nodes: new Set() };
            e.members.add(s.userId);
            e.nodes.add(s.nodeId);
            by.set(id, e);
          }
        }
      }
      return [...by].map(([id, e]) => ({ id, members: [...e.members].sort(), nodes: [...e.nodes].sort() }));
    };
    state.lobbies = rooms("lobby:");
    state.matches = rooms("match:").map((m) => ({ id: m.id, players: m.members, nodes: m.nodes }));
    renderSessions();
  } catch (e) {
    fail(e);
  }
}

// ------------------------------------------------------------------ actions

async function act(what: string, run: () => Promise<{ affected: number; missingNodes: string[] }>): Promise<void> {
  try {
    const r = await run();
    state.lastResult = `${what}: ${r.affected} affected${r.missingNodes.length ? `, no answer from ${r.missingNodes.join(", ")}` : ""}`;
    $("last-result").textContent = state.lastResult;
    void pollSessions();
  } catch (e) {
    fail(e);
  }
}

function kick(userId: string): void {
  void act(`kick ${userId}`, () => admin!.request("kickUser", { userId, reason: "kicked from the operator console" }));
}

function closeLobby(lobbyId: string): void {
  void act(`close lobby ${lobbyId}`, () => admin!.request("closeLobby", { lobbyId }));
}

function drain(nodeId: string): void {
  if (confirm(`Drain ${nodeId}? Its players move to another node and it stops once its matches end.`)) {
    void act(`drain ${nodeId}`, () => admin!.request("drainNode", { nodeId }));
  }
}

// ------------------------------------------------------------------ rendering

function button(text: string, onClick: () => void, data: Record<string, string> = {}): HTMLButtonElement {
  const b = document.createElement("button");
  b.textContent = text;
  Object.assign(b.dataset, data);
  b.addEventListener("click", onClick);
  return b;
}

function row(cells: (string | Node)[], data: Record<string, string> = {}): HTMLTableRowElement {
  const tr = document.createElement("tr");
  Object.assign(tr.dataset, data);
  for (const c of cells) {
    const td = document.createElement("td");
    td.append(c);
    tr.append(td);
  }
  return tr;
}

function renderNodes(): void {
  const max = Math.max(10, ...state.nodes.map((n) => n.sessions));
  $("nodes").replaceChildren(
    ...state.nodes.map((n) => {
      const card = document.createElement("div");
      card.className = "card";
      card.dataset.nodeId = n.node_id;
      const h = document.createElement("h3");
      h.textContent = n.node_id;
      const url = document.createElement("div");
      url.className = "muted";
      url.textContent = n.url;
      const meter = document.createElement("div");
      meter.className = "meter";
      const fill = document.createElement("div");
      fill.style.width = `${Math.round((100 * n.sessions) / max)}%`;
      meter.append(fill);
      const load = document.createElement("div");
      load.textContent = `${n.sessions} sessions · ${n.matches} matches`;
      card.append(h, url, meter, load, button("Drain", () => drain(n.node_id), { drain: n.node_id }));
      return card;
    }),
  );
}

function renderSessions(): void {
  $("missing").textContent = state.missingNodes.length ? `(no answer from ${state.missingNodes.join(", ")})` : "";
  $("session-table").querySelector("tbody")!.replaceChildren(
    ...state.sessions.map((s) =>
      row([s.userId, s.userName, s.nodeId, s.namespace, new Date(s.connectedAtMs).toLocaleTimeString(), s.rooms.join(" "),
        s.namespace === "/ws/play" ? button("Kick", () => kick(s.userId), { kick: s.userId }) : ""], { userId: s.userId })),
  );
  $("lobby-table").querySelector("tbody")!.replaceChildren(
    ...state.lobbies.map((l) => row([l.id, l.members.join(", "), l.nodes.join(", "), button("Close", () => closeLobby(l.id), { close: l.id })],
      { lobbyId: l.id })),
  );
  $("match-table").querySelector("tbody")!.replaceChildren(
    ...state.matches.map((m) => row([m.id, m.players.join(", "), m.nodes.join(", ")], { matchId: m.id })),
  );
}

const LINE_COLORS = ["#4fb0ff", "#ffb347"];

/** A line plot of one or two series over the sampled seconds; NaN (no ticks that second) leaves a gap. */
function plot(name: string, t: number[], series: number[][], decimals: number): void {
  const canvas = $<HTMLCanvasElement>(`plot-${name}`);
  const g = canvas.getContext("2d")!;
  const w = canvas.width;
  const h = canvas.height;
  const left = 52;
  const bottom = 18;
  g.clearRect(0, 0, w, h);
  g.fillStyle = "#0b1020";
  g.fillRect(0, 0, w, h);
  const values = series.flat().filter((v) => Number.isFinite(v));
  const max = Math.max(decimals > 0 ? 10 ** -decimals : 1, ...values) * 1.1;
  g.strokeStyle = "#26304a";
  g.fillStyle = "#8d97ad";
  g.font = "11px system-ui, sans-serif";
  for (const f of [0, 0.5, 1]) {
    const y = h - bottom - f * (h - bottom - 6);
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(w, y);
    g.stroke();
    g.fillText((max * f).toFixed(decimals), 4, y + 4);
  }
  // time runs right to left from the newest sample over at least a minute, at most the five kept
  const newest = t.length ? t[t.length - 1]! : 0;
  const spanMs = t.length > 1 ? newest - t[0]! : 0;
  const windowMs = Math.min(300_000, Math.max(60_000, spanMs));
  g.fillText(t.length ? `last ${Math.round(windowMs / 1000)} s` : "waiting for samples", left, h - 4);
  let points = 0;
  series.forEach((s, i) => {
    g.strokeStyle = LINE_COLORS[i % LINE_COLORS.length]!;
    g.lineWidth = 1.5;
    g.beginPath();
    let pen = false;
    s.forEach((v, j) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      points++;
      const x = left + (1 - (newest - t[j]!) / windowMs) * (w - left - 4);
      const y = h - bottom - (v / max) * (h - bottom - 6);
      if (pen) {
        g.lineTo(x, y);
      } else {
        g.moveTo(x, y);
        pen = true;
      }
    });
    g.stroke();
  });
  state.plots[name] = { points, max };
}

function setStatus(kind: string, text: string): void {
  state.connected = kind === "online";
  const el = $("status");
  el.className = `status ${kind}`;
  el.textContent = text;
}

function banner(text: string): void {
  const b = $("banner");
  b.textContent = text;
  b.hidden = false;
}

function fail(e: unknown): void {
  state.lastError = e instanceof TickroomError ? `${e.codeName}: ${e.serverMessage}` : String((e as Error)?.message ?? e);
  $("last-result").textContent = state.lastError;
}

// ------------------------------------------------------------------ start

function setup(): void {
  $("token-form").addEventListener("submit", (e) => {
    e.preventDefault();
    signIn($<HTMLTextAreaElement>("token-input").value.trim());
  });
  $("dev-admin").addEventListener("click", async () => {
    const r = await fetch("/dev/token?user=operator&name=Operator&admin=1", { method: "POST" });
    if (r.ok) {
      signIn((await r.json()).token);
    } else {
      setStatus("closed", `dev token refused: HTTP ${r.status}`);
    }
  });
  $("announce-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const input = $<HTMLInputElement>("announce-text");
    const text = input.value.trim();
    if (text) {
      void act("announce", () => admin!.request("announce", { text })).then(() => (input.value = ""));
    }
  });
  $("sign-out").addEventListener("click", () => {
    timers.forEach(clearInterval);
    admin?.close();
    sessionStorage.removeItem(STORE);
    location.reload();
  });
  fetch("/web/info.json").then((r) => r.json()).then((info) => {
    $("dev-signin").hidden = info.dev_tokens !== true;
  }, () => undefined);
  const saved = sessionStorage.getItem(STORE);
  if (saved) {
    signIn(saved);
  }
}

declare global {
  interface Window {
    tickroomConsole: { view(): unknown };
  }
}

window.tickroomConsole = { view: () => JSON.parse(JSON.stringify(state)) };

setup();
