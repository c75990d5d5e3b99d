#!/usr/bin/env node
// One table per workload from run-tickroom-vs-peers.mjs JSONL: each adapter's range over the
// repetitions, then Tickroom ÷ raw ws and Tickroom ÷ Socket.IO (ratio of the medians; < 1 means
// Tickroom spends less / waits less). Used by scripts/bench-peers.
//   node scripts/lib/peer-ratios.mjs results.jsonl [more.jsonl ...]
import { readFileSync } from 'node:fs';

const runs = process.argv.slice(2).flatMap((f) =>
  readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)),
).filter((r) => !r.error);
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); const n = s.length; return n ? (n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2) : NaN; };
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const range = (xs, d = 1) => { const f = xs.filter(Number.isFinite); if (!f.length) return '–'; const lo = Math.min(...f), hi = Math.max(...f); return lo === hi ? fmt(lo, d) : `${fmt(lo, d)}–${fmt(hi, d)}`; };
const PEERS = [['ws-preframed', 'raw ws'], ['socketio', 'Socket.IO']];
const isTickroom = (a) => a.startsWith('tickroom');

const metrics = {
  w1: [
    ['µs CPU / delivery', (r) => (r.serverCpuPct * 1e4) / r.deliveriesPerSec, 1],
    ['delivery p99 ms', (r) => r.latencyMs?.p99, 2],
    ['delivered %', (r) => 100 * r.deliveryRatio, 2],
    ['server RSS MB', (r) => r.rssEndMB, 0],
    ['ticks skipped', (r) => r.tickroom?.server?.ticksSkipped, 0],
  ],
  w2: [
    ['µs CPU / delivery', (r) => (r.serverCpuPct * 1e4) / r.deliveriesPerSec, 1],
    ['delivery p99 ms', (r) => r.latencyMs?.p99, 2],
    ['delivered %', (r) => 100 * r.deliveryRatio, 2],
    ['join phase s', (r) => r.connectS, 1],
  ],
  w3: [
    ['PSS KB / connection', (r) => r.mem?.pssPerConnKB, 1],
    ['anon+shmem PSS KB / conn', (r) => r.mem?.privPerConnKB, 1],
    ['VmRSS KB / connection', (r) => r.rssPerConnKB, 1],
  ],
};
const titles = { w1: 'W1 match rooms (R × 8 @ 20 Hz)', w2: 'W2 one lobby of N (20 chat lines/s)', w3: 'W3 idle connections' };

for (const a of [...new Set(runs.filter((r) => isTickroom(r.adapter)).map((r) => r.adapter))]) {
  const tick = runs.find((r) => r.adapter === a);
  console.log(`${a} JVM: ${tick.describe?.replace(/^.*JVM /, '') ?? '?'}`);
}
for (const w of ['w1', 'w2', 'w3']) {
  const points = [...new Set(runs.filter((r) => r.label === w).map((r) => r.clients))].sort((a, b) => a - b);
  for (const n of points) {
    const rs = runs.filter((r) => r.label === w && r.clients === n);
    const adapters = [...new Set(rs.map((r) => r.adapter))].sort((a, b) => isTickroom(b) - isTickroom(a) || a.localeCompare(b));
    const reps = Math.max(...adapters.map((a) => rs.filter((r) => r.adapter === a).length));
    const pt = w === 'w1' ? `R=${rs[0].rooms}` : `N=${n}`;
    const contention = rs.some((r) => r.contention) ? ', contention' : '';
    console.log(`\n### ${titles[w]}, ${pt}${contention} (${reps} rep${reps > 1 ? 's' : ''})\n`);
    // every Tickroom adapter (the default and each --variant) against each peer present
    const pairs = adapters.filter(isTickroom).flatMap((tr) => PEERS.filter(([p]) => adapters.includes(p)).map(([p, name]) => [tr, p, name]));
    const head = ['metric', ...adapters, ...pairs.map(([tr, , name]) => `${tr} ÷ ${name}`)];
    console.log(`| ${head.join(' | ')} |`);
    console.log(`| ${head.map((_, i) => (i ? '---:' : '---')).join(' | ')} |`);
    for (const [name, get, d] of metrics[w]) {
      const vals = (a) => rs.filter((r) => r.adapter === a).map(get).filter((x) => x !== undefined && x !== null);
      const cells = adapters.map((a) => range(vals(a), d));
      const ratios = pairs.map(([tr, p]) => {
        const t = med(vals(tr)), o = med(vals(p));
        return Number.isFinite(t) && Number.isFinite(o) && o !== 0 && !name.startsWith('delivered') && !name.startsWith('ticks') ? fmt(t / o, 2) : '';
      });
      console.log(`| ${name} | ${[...cells, ...ratios].join(' | ')} |`);
    }
  }
}
