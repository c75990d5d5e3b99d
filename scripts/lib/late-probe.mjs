// Summarises the load client's lateness probe (scripts/bench-peers --late-probe): one JSON file per
// load worker and run, with per-10-ms buckets of the server's send stamps [deliveries, over the
// threshold (lateUs, 2 ms when the file does not say), max µs]. Prints per run how many deliveries
// arrived later than that after their stamp, how they spread over the window, and the worst
// buckets, so a p99 can be read beside where its tail lies.
//   node scripts/lib/late-probe.mjs DIR
import { readdirSync, readFileSync } from 'node:fs';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node scripts/lib/late-probe.mjs DIR');
  process.exit(2);
}
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
if (files.length === 0) {
  console.error(`late-probe: no probe files in ${dir}`);
  process.exit(1);
}
const iso = (ms) => new Date(ms).toISOString().slice(11, 23);
for (const f of files) {
  const run = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const label = `over ${(run.lateUs ?? 2000) / 1000} ms`;
  const buckets = run.buckets.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let late = 0;
  const seconds = new Map();
  for (const [b, [n, over]] of buckets) {
    total += n;
    late += over;
    const s = Math.floor(b / 100);
    seconds.set(s, (seconds.get(s) || 0) + over);
  }
  const perSecond = [...seconds.values()].sort((a, b) => a - b);
  const median = perSecond[Math.floor(perSecond.length / 2)] || 0;
  const burstSeconds = perSecond.filter((v) => v > 1000).length;
  const worst = [...buckets].sort((a, b) => b[1][1] - a[1][1]).slice(0, 5);
  console.log(
    `${run.adapter} (${run.clients} clients, worker ${run.pid}): ${total} deliveries, ${late} ${label} ` +
      `(${((100 * late) / Math.max(1, total)).toFixed(2)} %); late per second: median ${median}, ` +
      `${burstSeconds} second(s) over 1,000`,
  );
  for (const [b, [n, over, max]] of worst) {
    if (over > 0) console.log(`  ${iso(b * 10)}  ${over} of ${n} late, max ${(max / 1000).toFixed(1)} ms`);
  }
}
