import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import {
  ClientFrameSchema,
  ResumeFailedReason,
  ServerFrameSchema,
  type ClientFrame,
  type MatchFound,
  type MatchJoined,
  type ServerFrame,
  type Welcome,
} from "./gen/tickroom/v1/tickroom_pb.js";
import { Backoff } from "./backoff.js";
import { systemClock, type Clock } from "./clock.js";
import { ConnectionLostError, ProtocolError, QueueFullError, RequestTimeoutError, TickroomError } from "./errors.js";

// ------------------------------------------------------------------ types

/** A request type: the `ClientFrame.body` case (`"createLobby"`). */
export type RequestType = NonNullable<ClientFrame["body"]["case"]>;
type BodyInit = NonNullable<MessageInitShape<typeof ClientFrameSchema>["body"]>;
/** What a request of type `K` carries (an init object: omitted fields take their defaults). */
export type RequestInit<K extends RequestType> = Extract<BodyInit, { case: K }>["value"];
/** A push or answer type: the `ServerFrame.body` case (`"lobbyState"`). */
export type FrameType = NonNullable<ServerFrame["body"]["case"]>;
/** The message a frame of type `K` carries. */
export type FrameValue<K extends FrameType> = Extract<ServerFrame["body"], { case: K }>["value"];

/** The one answer each request gets when it succeeds (an `error` answer rejects instead). */
export const ANSWERS = {
  ping: "pong",
  listLobbies: "lobbyList",
  createLobby: "lobbyState",
  joinLobby: "lobbyState",
  leaveLobby: "ok",
  sendChat: "ok",
  setReady: "ok",
  kickMember: "ok",
  directMessage: "ok",
  startMatch: "ok",
  joinMatch: "matchJoined",
  matchInput: "ok",
  leaveMatch: "ok",
  quickMatch: "quickMatchQueued",
  cancelQuickMatch: "ok",
  resume: "resumed",
  refreshToken: "welcome",
  listSessions: "sessionList",
  kickUser: "adminResult",
  closeLobby: "adminResult",
  announce: "adminResult",
  drainNode: "adminResult",
  listModes: "modeList",
  updateLobby: "lobbyState",
  getLobby: "lobbyState",
} as const satisfies Record<RequestType, FrameType>;

/** The answer of a request of type `K`. */
export type Answer<K extends RequestType> = FrameValue<(typeof ANSWERS)[K]>;

/**
 * The part of the WebSocket API the client uses: the browser's `WebSocket` and Node's `ws`
 * package both fit. `terminate` (ws only) drops the connection without a close handshake.
 */
export interface SocketLike {
  binaryType: string;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  terminate?(): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

/** Opens a socket to a URL (default: the global `WebSocket`). */
export type SocketFactory = (url: string) => SocketLike;

/** What a client needs to pick up its session on a new page or process (see {@link TickroomClient.resumeState}). */
export interface ResumeState {
  url: string;
  resumeToken: string;
  /** The highest seq seen per stream, as decimal strings (JSON has no 64-bit integers). */
  lastSeqs: Record<string, string>;
  /** Request ids keep increasing across pages: the resumed session answers old ids from its window. */
  nextRequestId: number;
  /** The second connection to the node hosting the match, when there is one. */
  match?: ResumeState;
}

export interface ClientOptions {
  /** The node's `/ws/play` URL (`ws://127.0.0.1:8080/ws/play`). */
  url: string;
  /** The access token, or a function giving one for each (re)connect and refresh. */
  token: string | (() => string | Promise<string>);
  /** How long a request waits for its answer, queued time included (10 000). */
  requestTimeoutMs?: number;
  backoff?: Backoff;
  /** Frames kept while disconnected; past it sends fail with {@link QueueFullError} (256). */
  maxQueuedFrames?: number;
  /** Reconnect after an unexpected close (true). */
  reconnect?: boolean;
  /** On `match_found`, claim the seat, over a second connection when the match runs elsewhere (true). */
  followMatches?: boolean;
  /** Refresh the token this long before it expires, at most a quarter of its life (60 000). */
  refreshAheadMs?: number;
  /** Continue a session a previous page or process held (its {@link TickroomClient.resumeState}). */
  resumeFrom?: ResumeState;
  socket?: SocketFactory;
  clock?: Clock;
  random?: () => number;
}

/** The connection's life, told to the application. */
export interface ConnectionListener {
  /** The connection closed unexpectedly (1006 when it simply died). */
  disconnected?(code: number, reason: string): void;
  /** Reconnect attempt `attempt` starts after `delayMs`. */
  reconnecting?(attempt: number, delayMs: number): void;
  /** Back: a new welcome arrived and queued sends were flushed. */
  reconnected?(attempts: number): void;
  /** Back in the same session: memberships kept, `replayed` missed pushes delivered once, in order. */
  resumed?(sessionId: string, replayed: number): void;
  /**
   * Back, but as a new session: the server's `message` (it starts with "expired", "unknown" or
   * "gap") and its typed `reason` (`RESUME_EXPIRED`, `RESUME_GAP`, `RESUME_UNKNOWN`;
   * `RESUME_FAILED_REASON_UNSPECIFIED` when the resume got no answer).
   */
  sessionExpired?(message: string, reason: ResumeFailedReason): void;
  /** The session's token was renewed; it now runs until `expiresAtMs`. */
  tokenRefreshed?(expiresAtMs: number): void;
  /** No more attempts: the backoff is exhausted or the server closed us for good (4003, 1003, 1009). */
  gaveUp?(reason: string, code: number): void;
}

type State = "idle" | "connecting" | "open" | "waiting" | "closed" | "gaveUp";
type SentState = "queued" | "sent" | "awaitingResume";

interface Pending {
  type: RequestType;
  bytes: Uint8Array;
  sent: SentState;
  timer: unknown;
  resolve(f: ServerFrame): void;
  reject(e: Error): void;
}

type PushListener = (value: never, frame: ServerFrame) => void;

// ------------------------------------------------------------------ client

/**
 * One player's connection to Tickroom, with the Java client's semantics.
 *
 * A request gets an id, a timeout (started at once, so time spent queued counts) and a promise
 * of its one answer; it is sent when the connection is open, or queued (bounded, reject newest)
 * and flushed in order after the next welcome. When the connection drops, the client reconnects
 * with full-jitter backoff and resumes its session: it sends the resume token and the highest
 * seq it saw per stream first, drops pushes it has already seen, and re-sends the requests that
 * were sent but unanswered (same ids: the server answers them from its window instead of
 * applying them twice); if the resume is refused they fail with {@link ConnectionLostError}.
 * Everything runs on the caller's event loop; listeners must not throw.
 */
export class TickroomClient {
  private readonly opts: Required<Omit<ClientOptions, "resumeFrom" | "token">> & Pick<ClientOptions, "token">;
  private state: State = "idle";
  private socket: SocketLike | null = null;
  private attemptSocket: SocketLike | null = null;
  private attempt = 0;
  private nextRequestId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queue: { id: number; bytes: Uint8Array }[] = [];
  private readonly lastSeqs = new Map<string, bigint>();
  private readonly listeners = new Map<FrameType, PushListener[]>();
  private readonly anyListeners: ((frame: ServerFrame) => void)[] = [];
  private readonly connectionListeners: ConnectionListener[] = [];
  private readonly matchListeners: ((link: MatchLink) => void)[] = [];
  private resumeToken = "";
  private resumeOnFirstWelcome = false;
  private url: string;
  private currentWelcome: Welcome | undefined;
  private serverSkewMs = 0;
  private refreshTimer: unknown = null;
  private lastToken = "";
  private link: MatchLink | null = null;
  /** A second connection to the node hosting the match (null: the match runs here, or none). */
  private matchConnection: TickroomClient | null = null;
  private readonly firstWelcome: Promise<Welcome>;
  private settleFirst!: { resolve(w: Welcome): void; reject(e: Error): void };
  /** Counters of what this client did. */
  readonly stats = { framesIn: 0, framesOut: 0, reconnects: 0, resumes: 0, resumesFailed: 0, duplicatesDropped: 0 };

  constructor(options: ClientOptions) {
    const ws = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
    this.opts = {
      url: options.url,
      token: options.token,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      backoff: options.backoff ?? new Backoff(),
      maxQueuedFrames: options.maxQueuedFrames ?? 256,
      reconnect: options.reconnect ?? true,
      followMatches: options.followMatches ?? true,
      refreshAheadMs: options.refreshAheadMs ?? 60_000,
      socket: options.socket ?? ((u) => {
        if (!ws) {
          throw new Error("no global WebSocket: pass options.socket (in Node 20: url => new (require('ws'))(url))");
        }
        return new ws(u);
      }),
      clock: options.clock ?? systemClock,
      random: options.random ?? Math.random,
    };
    this.url = options.url;
    this.firstWelcome = new Promise<Welcome>((resolve, reject) => {
      this.settleFirst = { resolve, reject };
    });
    this.firstWelcome.catch(() => undefined); // a caller that never awaits connect() sees no unhandled rejection
    const from = options.resumeFrom;
    if (from?.resumeToken) {
      this.url = from.url || this.url;
      this.resumeToken = from.resumeToken;
      this.resumeOnFirstWelcome = true;
      this.nextRequestId = Math.max(1, from.nextRequestId | 0);
      for (const [stream, seq] of Object.entries(from.lastSeqs ?? {})) {
        this.lastSeqs.set(stream, BigInt(seq));
      }
      if (from.match?.resumeToken) {
        this.matchConnection = this.secondConnection(from.match.url, from.match);
      }
    }
    this.on("matchFound", (found) => this.followMatch(found));
    this.on("goodbye", (g) => {
      if (g.reconnectUrl) {
        this.url = g.reconnectUrl; // a draining node names where to go
      }
    });
  }

  // ---------------------------------------------------------------- life cycle

  /** Connects; resolves with the first welcome (or rejects when the client gives up or is closed). */
  connect(): Promise<Welcome> {
    if (this.state === "idle") {
      this.state = "connecting";
      this.matchConnection?.connect().catch(() => undefined);
      void this.open();
    }
    return this.firstWelcome;
  }

  private async open(): Promise<void> {
    let token: string;
    try {
      token = await this.tokenNow();
    } catch (e) {
      this.connectFailed(1006, `no token: ${String(e)}`);
      return;
    }
    if (this.state !== "connecting") {
      return;
    }
    let target = this.url;
    if (this.resumeToken) {
      target = withQuery(target, "resume=1"); // the server holds our pushes until the replay
    }
    target = withQuery(target, "access_token=" + encodeURIComponent(token));
    let ws: SocketLike;
    try {
      ws = this.opts.socket(target);
    } catch (e) {
      this.connectFailed(1006, String(e));
      return;
    }
    ws.binaryType = "arraybuffer";
    this.attemptSocket = ws;
    let opened = false;
    ws.onopen = () => {
      if (this.attemptSocket !== ws || this.state !== "connecting") {
        ws.close(1000, "superseded attempt");
        return;
      }
      opened = true;
      this.socket = ws;
    };
    ws.onmessage = (ev) => {
      if (this.socket === ws) {
        this.received(ev.data);
      }
    };
    ws.onclose = (ev) => {
      if (this.socket === ws) {
        this.closed(ev.code, ev.reason);
      } else if (!opened && this.attemptSocket === ws) {
        this.attemptSocket = null;
        this.connectFailed(ev.code, ev.reason); // browsers hide the handshake's HTTP status: 1006
      }
    };
    ws.onerror = () => undefined; // a close event follows
  }

  private async tokenNow(): Promise<string> {
    const t = this.opts.token;
    const token = typeof t === "function" ? await t() : t;
    this.lastToken = token;
    return token;
  }

  private connectFailed(code: number, reason: string): void {
    this.scheduleReconnect(code, reason);
  }

  private welcomed(w: Welcome): void {
    this.currentWelcome = w;
    this.state = "open";
    const attempts = this.attempt;
    this.attempt = 0;
    this.serverSkewMs = Number(w.serverTimeMs) - this.opts.clock.now();
    const previous = this.resumeToken;
    this.resumeToken = w.resumeToken;
    const resuming = previous !== "" && (attempts > 0 || this.resumeOnFirstWelcome);
    this.resumeOnFirstWelcome = false;
    const ws = this.socket!;
    if (resuming) {
      // first: the server replays before it answers anything else
      const lastSeqs: Record<string, bigint> = {};
      for (const [k, v] of this.lastSeqs) {
        lastSeqs[k] = v;
      }
      this.request("resume", { resumeToken: previous, lastSeqs }).then(
        (r) => this.resumeAnswered(r, null),
        (e: Error) => this.resumeAnswered(null, e),
      );
    } else if (attempts > 0) {
      this.lastSeqs.clear(); // a fresh session: its streams start again
    }
    const flush = this.queue.splice(0);
    for (const q of flush) {
      const p = this.pending.get(q.id);
      if (p) {
        p.sent = "sent";
      }
      this.write(ws, q.bytes);
    }
    this.scheduleRefresh(w.tokenExpiresAtMs);
    if (attempts > 0) {
      this.stats.reconnects++;
      this.tell((l) => l.reconnected?.(attempts));
    }
    this.settleFirst.resolve(w);
  }

  /**
   * The answer to an automatic resume. Resumed: requests that were sent but unanswered when the
   * connection dropped are sent again with their ids. Refused: they fail (their outcome is
   * unknown), the seqs start over, and listeners hear `sessionExpired`.
   */
  private resumeAnswered(answer: Answer<"resume"> | null, failure: Error | null): void {
    const ok = answer !== null;
    const again: Uint8Array[] = [];
    for (const [id, p] of [...this.pending]) {
      if (p.sent !== "awaitingResume") {
        continue;
      }
      if (ok && this.socket) {
        p.sent = "sent";
        again.push(p.bytes);
      } else {
        this.pending.delete(id);
        this.opts.clock.clearTimeout(p.timer);
        p.reject(new ConnectionLostError("connection lost and the session could not be resumed"));
      }
    }
    if (ok) {
      this.stats.resumes++;
      for (const b of again) {
        this.write(this.socket!, b);
      }
      this.tell((l) => l.resumed?.(answer.sessionId, answer.replayed));
    } else {
      this.stats.resumesFailed++;
      this.lastSeqs.clear();
      const why = failure instanceof TickroomError ? failure.serverMessage : String(failure?.message);
      const reason = failure instanceof TickroomError ? failure.resumeFailedReason
        : ResumeFailedReason.RESUME_FAILED_REASON_UNSPECIFIED;
      this.tell((l) => l.sessionExpired?.(why, reason));
    }
  }

  private closed(code: number, reason: string): void {
    this.socket = null;
    this.cancelRefresh();
    if (this.state === "closed" || this.state === "gaveUp") {
      return;
    }
    this.failSent(`connection lost (${code} ${reason})`);
    this.tell((l) => l.disconnected?.(code, reason));
    // 1003/1009: this client sends what the server refuses; 4003: an operator kicked the user
    if (!this.opts.reconnect || code === 1003 || code === 1009 || code === 4003) {
      this.giveUp(`closed ${code} ${reason}`, code);
      return;
    }
    this.scheduleReconnect(code, reason);
  }

  /** Sent, unanswered requests wait for the resume when one can follow, else fail. Queued ones stay queued. */
  private failSent(why: string): void {
    const resumable = this.opts.reconnect && this.resumeToken !== "";
    for (const [id, p] of [...this.pending]) {
      if (p.sent === "sent" && resumable && p.type !== "resume") {
        p.sent = "awaitingResume";
      } else if (p.sent !== "queued") {
        this.pending.delete(id);
        this.opts.clock.clearTimeout(p.timer);
        p.reject(new ConnectionLostError(why));
      }
    }
  }

  private scheduleReconnect(code: number, reason: string): void {
    if (this.state === "closed" || this.state === "gaveUp") {
      return;
    }
    const n = ++this.attempt;
    this.state = "waiting";
    const backoff = this.opts.backoff;
    if (backoff.exhausted(n)) {
      this.giveUp(`gave up after ${n - 1} attempts; last: ${code} ${reason}`, code);
      return;
    }
    const delay = backoff.delayMs(n, this.opts.random);
    this.tell((l) => l.reconnecting?.(n, delay));
    this.opts.clock.setTimeout(() => {
      if (this.state !== "waiting") {
        return;
      }
      this.state = "connecting";
      void this.open();
    }, delay);
  }

  private giveUp(reason: string, code: number): void {
    if (this.state === "closed" || this.state === "gaveUp") {
      return;
    }
    this.state = "gaveUp";
    this.cancelRefresh();
    this.queue.length = 0;
    this.failAll(reason);
    this.settleFirst.reject(new ConnectionLostError(reason));
    this.matchConnection?.close();
    this.tell((l) => l.gaveUp?.(reason, code));
  }

  private failAll(reason: string): void {
    for (const p of this.pending.values()) {
      this.opts.clock.clearTimeout(p.timer);
      p.reject(new ConnectionLostError(reason));
    }
    this.pending.clear();
  }

  /**
   * Drops the connection as a network failure would (Node's `ws`: without a close handshake;
   * browsers can only close, with 4000, which the server also treats as a drop); it reconnects
   * and resumes.
   */
  dropConnection(): void {
    const ws = this.socket;
    if (!ws) {
      return;
    }
    if (ws.terminate) {
      ws.terminate();
    } else {
      ws.close(4000, "dropped by the client");
    }
  }

  /** Closes for good (1000: the server releases the session at once, no resume). */
  close(): void {
    if (this.state === "closed") {
      return;
    }
    this.state = "closed";
    this.cancelRefresh();
    const ws = this.socket ?? this.attemptSocket;
    this.socket = null;
    this.attemptSocket = null;
    this.queue.length = 0;
    this.failAll("client closed");
    this.matchConnection?.close();
    this.matchConnection = null;
    ws?.close(1000, "client closed");
    this.settleFirst.reject(new ConnectionLostError("client closed"));
  }

  // ---------------------------------------------------------------- token refresh

  private scheduleRefresh(expiresAtMs: bigint): void {
    this.cancelRefresh();
    if (expiresAtMs === 0n || typeof this.opts.token !== "function") {
      return; // never expires, or no way to get a fresh token
    }
    const remaining = Number(expiresAtMs) - (this.opts.clock.now() + this.serverSkewMs);
    const ahead = Math.min(this.opts.refreshAheadMs, Math.max(0, remaining) / 4);
    this.refreshTimer = this.opts.clock.setTimeout(() => void this.refresh(), Math.max(0, remaining - ahead));
  }

  private cancelRefresh(): void {
    if (this.refreshTimer !== null) {
      this.opts.clock.clearTimeout(this.refreshTimer);
      this.refreshTimer = null;
    }
  }

  /** Sends `refresh_token` with a fresh token; the session then runs until the new expiry. */
  async refresh(): Promise<void> {
    this.refreshTimer = null;
    if (this.state !== "open") {
      return;
    }
    const previous = this.lastToken;
    const token = await this.tokenNow();
    if (token === previous) {
      return; // nothing fresher to offer (a fixed token): the session ends when it expires
    }
    try {
      const w = await this.request("refreshToken", { token });
      this.scheduleRefresh(w.tokenExpiresAtMs);
      this.tell((l) => l.tokenRefreshed?.(Number(w.tokenExpiresAtMs)));
    } catch {
      // the connection dropped or the token was refused: the next welcome schedules again
    }
  }

  // ---------------------------------------------------------------- requests

  /**
   * Sends a request and resolves with its one answer, typed by the request (`createLobby` →
   * `LobbyState`). Rejects with {@link TickroomError} for an `error` answer (its `code` is the
   * wire `ErrorCode`), {@link RequestTimeoutError}, {@link QueueFullError} or
   * {@link ConnectionLostError}.
   */
  request<K extends RequestType>(type: K, value?: RequestInit<K>): Promise<Answer<K>> {
    return new Promise<ServerFrame>((resolve, reject) => {
      if (this.state === "closed" || this.state === "gaveUp") {
        reject(new ConnectionLostError(`client is ${this.state}`));
        return;
      }
      const id = this.nextId();
      const bytes = encode(id, type, value);
      const ws = this.state === "open" ? this.socket : null;
      if (!ws && this.queue.length >= this.opts.maxQueuedFrames) {
        reject(new QueueFullError(`disconnected and ${this.opts.maxQueuedFrames} frames are already queued`));
        return;
      }
      const timer = this.opts.clock.setTimeout(() => this.timedOut(id), this.opts.requestTimeoutMs);
      this.pending.set(id, { type, bytes, sent: ws ? "sent" : "queued", timer, resolve, reject });
      if (ws) {
        this.write(ws, bytes);
      } else {
        this.queue.push({ id, bytes });
      }
    }).then((f) => answerOf(type, f)) as Promise<Answer<K>>;
  }

  /** Sends without asking for an answer (request id 0); queued like requests while disconnected. */
  send<K extends RequestType>(type: K, value?: RequestInit<K>): boolean {
    if (this.state === "closed" || this.state === "gaveUp") {
      return false;
    }
    const bytes = encode(0, type, value);
    const ws = this.state === "open" ? this.socket : null;
    if (ws) {
      this.write(ws, bytes);
      return true;
    }
    if (this.queue.length >= this.opts.maxQueuedFrames) {
      return false;
    }
    this.queue.push({ id: 0, bytes });
    return true;
  }

  /** Request ids keep increasing across reconnects, so a retried id is never a new request's. */
  private nextId(): number {
    const id = this.nextRequestId++;
    if (this.nextRequestId >= 0xffff_ffff) {
      this.nextRequestId = 1;
    }
    return id;
  }

  private timedOut(id: number): void {
    const p = this.pending.get(id);
    if (!p) {
      return;
    }
    this.pending.delete(id);
    if (p.sent === "queued") {
      const i = this.queue.findIndex((q) => q.id === id); // it must not be sent after it has failed
      if (i >= 0) {
        this.queue.splice(i, 1);
      }
    }
    p.reject(new RequestTimeoutError(`${p.type} got no answer within ${this.opts.requestTimeoutMs} ms`));
  }

  private write(ws: SocketLike, bytes: Uint8Array): void {
    ws.send(bytes);
    this.stats.framesOut++;
  }

  // ---------------------------------------------------------------- pushes

  /** Listens for pushes of one type (also for those forwarded from a match connection). */
  on<K extends FrameType>(type: K, listener: (value: FrameValue<K>, frame: ServerFrame) => void): this {
    let list = this.listeners.get(type);
    if (!list) {
      list = [];
      this.listeners.set(type, list);
    }
    list.push(listener as PushListener);
    return this;
  }

  /** Stops `listener` (as given to `on`) hearing pushes of `type`. */
  off<K extends FrameType>(type: K, listener: (value: FrameValue<K>, frame: ServerFrame) => void): this {
    const list = this.listeners.get(type);
    const i = list ? list.indexOf(listener as PushListener) : -1;
    if (list && i >= 0) list.splice(i, 1);
    return this;
  }

  /** Listens for every push. */
  onAnyPush(listener: (frame: ServerFrame) => void): this {
    this.anyListeners.push(listener);
    return this;
  }

  onConnection(listener: ConnectionListener): this {
    this.connectionListeners.push(listener);
    return this;
  }

  /** Told when a seat has been claimed (after a followed `match_found`, or given back by a resume). */
  onMatchJoined(listener: (link: MatchLink) => void): this {
    this.matchListeners.push(listener);
    return this;
  }

  private received(data: unknown): void {
    this.stats.framesIn++;
    let f: ServerFrame;
    try {
      f = fromBinary(ServerFrameSchema, toBytes(data));
    } catch {
      return; // not ours to fix; the server never sends garbage
    }
    if (f.replyTo !== 0) {
      const p = this.pending.get(f.replyTo);
      if (p) {
        this.pending.delete(f.replyTo);
        this.opts.clock.clearTimeout(p.timer);
        p.resolve(f);
      }
      return;
    }
    if (f.body.case === "welcome") {
      this.welcomed(f.body.value);
      return;
    }
    this.push(f, this);
  }

  /** A push from this connection or a match connection: dedupe by stream seq, then deliver. */
  private push(f: ServerFrame, via: TickroomClient): void {
    if (f.seq > 0n) {
      const last = this.lastSeqs.get(f.stream);
      if (last !== undefined && f.seq <= last) {
        this.stats.duplicatesDropped++; // seen already (a replay overlapping what arrived): once only
        return;
      }
      this.lastSeqs.set(f.stream, f.seq);
    }
    if (f.body.case === "matchJoined" && this.opts.followMatches) {
      // a resume gave the seat back to this connection
      this.linked(new MatchLink(f.body.value.matchId, via, f.body.value, this));
    }
    this.deliver(f);
    if (f.body.case === "matchEnded" && this.link?.matchId === f.body.value.matchId) {
      this.link.done();
    }
  }

  private deliver(f: ServerFrame): void {
    const type = f.body.case;
    if (type) {
      for (const l of this.listeners.get(type) ?? []) {
        l(f.body.value as never, f);
      }
    }
    for (const l of this.anyListeners) {
      l(f);
    }
  }

  private tell(fn: (l: ConnectionListener) => void): void {
    for (const l of this.connectionListeners) {
      fn(l);
    }
  }

  // ---------------------------------------------------------------- matches

  private followMatch(found: MatchFound): void {
    if (!this.opts.followMatches) {
      return;
    }
    let via: TickroomClient = this;
    if (!sameNode(found.endpoint, this.url)) {
      this.matchConnection?.close();
      via = this.secondConnection(found.endpoint);
      this.matchConnection = via;
      via.connect().catch(() => undefined);
    }
    via.request("joinMatch", { seatToken: found.seatToken }).then(
      (joined) => this.linked(new MatchLink(found.matchId, via, joined, this)),
      () => {
        if (via !== this) {
          via.close();
          if (this.matchConnection === via) {
            this.matchConnection = null;
          }
        }
      },
    );
  }

  private secondConnection(url: string, resumeFrom?: ResumeState): TickroomClient {
    const child = new TickroomClient({
      ...this.opts,
      url,
      followMatches: false,
      ...(resumeFrom ? { resumeFrom } : {}),
    });
    child.onAnyPush((f) => this.push(f, child));
    return child;
  }

  private linked(link: MatchLink): void {
    this.link = link;
    for (const l of this.matchListeners) {
      l(link);
    }
  }

  /** @internal */
  matchOver(link: MatchLink): void {
    if (this.link === link) {
      this.link = null;
    }
    if (link.connection !== this) {
      link.connection.close();
      if (this.matchConnection === link.connection) {
        this.matchConnection = null;
      }
    }
  }

  /** The match this client plays now, if any. */
  get match(): MatchLink | null {
    return this.link;
  }

  // ---------------------------------------------------------------- reads

  get isOpen(): boolean {
    return this.state === "open";
  }

  /** The welcome of the current (or last) connection. */
  get welcome(): Welcome | undefined {
    return this.currentWelcome;
  }

  get queuedFrames(): number {
    return this.queue.length;
  }

  get pendingRequests(): number {
    return this.pending.size;
  }

  /** Where the next connection goes: the configured URL, or where a draining node sent us. */
  get currentUrl(): string {
    return this.url;
  }

  /** The highest seq seen on `stream` (0n: none). */
  lastSeq(stream: string): bigint {
    return this.lastSeqs.get(stream) ?? 0n;
  }

  /**
   * What a new page or process needs to continue this session (store it, e.g. in
   * sessionStorage, and pass it as `resumeFrom`); null before the first welcome. Keep it
   * secret: the resume token stands for the session.
   */
  resumeState(): ResumeState | null {
    if (!this.resumeToken) {
      return null;
    }
    const lastSeqs: Record<string, string> = {};
    for (const [k, v] of this.lastSeqs) {
      lastSeqs[k] = v.toString();
    }
    const state: ResumeState = { url: this.url, resumeToken: this.resumeToken, lastSeqs, nextRequestId: this.nextRequestId };
    const m = this.matchConnection?.resumeState();
    if (m) {
      state.match = m;
    }
    return state;
  }
}

/** A claimed seat: where to send inputs (this client's connection, or one to the node hosting the match). */
export class MatchLink {
  constructor(
    readonly matchId: string,
    readonly connection: TickroomClient,
    readonly joined: MatchJoined,
    private readonly owner: TickroomClient,
  ) {}

  /** Sends one input, fire-and-forget. */
  input(tick: bigint, payload: Uint8Array): boolean {
    return this.connection.send("matchInput", { matchId: this.matchId, tick, payload });
  }

  leave(): Promise<Answer<"leaveMatch">> {
    return this.connection.request("leaveMatch", { matchId: this.matchId });
  }

  /** The match is over: forget it and close a second connection (done on `match_ended` by itself). */
  done(): void {
    this.owner.matchOver(this);
  }
}

// ------------------------------------------------------------------ helpers

function encode<K extends RequestType>(requestId: number, type: K, value: RequestInit<K> | undefined): Uint8Array {
  const init = { requestId, body: { case: type, value: value ?? {} } } as MessageInitShape<typeof ClientFrameSchema>;
  return toBinary(ClientFrameSchema, create(ClientFrameSchema, init));
}

function answerOf(type: RequestType, f: ServerFrame): unknown {
  if (f.body.case === "error") {
    throw new TickroomError(f.body.value.code, f.body.value.message, type, f.body.value.resumeFailedReason);
  }
  if (f.body.case !== ANSWERS[type]) {
    throw new ProtocolError(`${type} answered with ${String(f.body.case)}, expected ${ANSWERS[type]}`);
  }
  return f.body.value;
}

function toBytes(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError("not a binary frame");
}

function withQuery(url: string, param: string): string {
  return url + (url.includes("?") ? "&" : "?") + param;
}

/** Whether two play URLs name the same node (host, port and path). */
export function sameNode(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(b);
    return x.hostname.toLowerCase() === y.hostname.toLowerCase() && port(x) === port(y) && x.pathname === y.pathname;
  } catch {
    return false;
  }
}

function port(u: URL): string {
  return u.port || (u.protocol === "wss:" || u.protocol === "https:" ? "443" : "80");
}
