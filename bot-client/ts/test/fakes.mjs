// Socket-free fakes: a clock whose time only moves when the test says, and sockets the test opens,
// feeds and closes by hand.
import { ClientFrameSchema, ServerFrameSchema, create, fromBinary, toBinary } from "../dist/index.js";

export class FakeClock {
  nowMs = 1_000_000;
  timers = new Map();
  nextId = 1;
  now() {
    return this.nowMs;
  }
  setTimeout(fn, ms) {
    const id = this.nextId++;
    this.timers.set(id, { at: this.nowMs + Math.max(0, ms), fn });
    return id;
  }
  clearTimeout(id) {
    this.timers.delete(id);
  }
  /** Moves time on by `ms`, running every timer that falls due, in order. */
  advance(ms) {
    const end = this.nowMs + ms;
    for (;;) {
      let next = null;
      for (const [id, t] of this.timers) {
        if (t.at <= end && (next === null || t.at < next[1].at)) {
          next = [id, t];
        }
      }
      if (!next) {
        break;
      }
      this.timers.delete(next[0]);
      this.nowMs = next[1].at;
      next[1].fn();
    }
    this.nowMs = end;
  }
  /** The delay of the one pending timer that is not a request timeout (the reconnect). */
  pendingDelays() {
    return [...this.timers.values()].map((t) => t.at - this.nowMs);
  }
}

export class FakeSocket {
  binaryType = "blob";
  onopen = null;
  onmessage = null;
  onclose = null;
  onerror = null;
  sent = [];
  closed = null;
  constructor(url) {
    this.url = url;
  }
  send(bytes) {
    this.sent.push(fromBinary(ClientFrameSchema, bytes));
  }
  close(code = 1000, reason = "") {
    if (!this.closed) {
      this.closed = { code, reason };
      this.onclose?.({ code, reason });
    }
  }
  // ---- the server's side
  open() {
    this.onopen?.({});
  }
  welcome(fields = {}) {
    this.push({ body: { case: "welcome", value: { sessionId: "s1", userId: "u", resumeToken: "rt-1", serverTimeMs: 1_000_000n, ...fields } } });
  }
  push(init) {
    this.onmessage?.({ data: toBinary(ServerFrameSchema, create(ServerFrameSchema, init)).buffer });
  }
  reply(requestId, body) {
    this.push({ replyTo: requestId, body });
  }
  serverClose(code, reason = "") {
    this.closed = { code, reason };
    this.onclose?.({ code, reason });
  }
  /** The handshake failed: closed without ever opening (a browser sees 1006, whatever the status). */
  refuse() {
    this.onclose?.({ code: 1006, reason: "" });
  }
}

/** A socket factory that keeps every socket it made. */
export function factory() {
  const sockets = [];
  const make = (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s;
  };
  return { sockets, make, last: () => sockets[sockets.length - 1] };
}

/** Lets the client's pending promise callbacks run. */
export const settle = () => new Promise((r) => setImmediate(r));
