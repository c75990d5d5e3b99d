// Edits our copy of a peerbench file in place for scripts/bench-peers: each FROM must occur in the
// file as shipped and is replaced (once) by its TO; when one is missing the harness has changed,
// and the run stops with the option that needs the edit, instead of measuring something else.
//   node scripts/lib/patch-harness.mjs FILE OPTION FROM TO [FROM TO]...
import { readFileSync, writeFileSync } from 'node:fs';

const [file, option, ...pairs] = process.argv.slice(2);
if (!file || !option || pairs.length === 0 || pairs.length % 2 !== 0) {
  console.error('usage: node scripts/lib/patch-harness.mjs FILE OPTION FROM TO [FROM TO]...');
  process.exit(2);
}
let text = readFileSync(file, 'utf8');
for (let i = 0; i < pairs.length; i += 2) {
  const [from, to] = [pairs[i], pairs[i + 1]];
  if (!text.includes(from)) {
    console.error(`bench-peers: ${file} no longer has "${from}" (the harness changed); ${option}`);
    process.exit(2);
  }
  text = text.replace(from, to);
}
writeFileSync(file, text);
